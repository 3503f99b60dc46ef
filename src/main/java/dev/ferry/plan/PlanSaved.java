package dev.ferry.plan;

/** A new version of a plan was saved. */
public record PlanSaved(String plan, int version, String sha256, String savedBy, PlanOrigin origin) {

}
