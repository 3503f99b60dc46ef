package dev.ferry.plan;

import java.time.Instant;

/** A plan's latest version, for lists. */
public record PlanSummary(String plan, String title, int version, Instant savedAt, String savedBy) {

}
