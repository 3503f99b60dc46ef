package dev.ferry.plan;

import java.time.Instant;

/** One version of a plan without its text, for the history. */
public record PlanVersionInfo(String plan, int version, String title, String sha256, String savedBy, Instant savedAt,
		PlanOrigin origin) {

}
