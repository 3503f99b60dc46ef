package dev.ferry.run;

/**
 * Published when a run is requested (a dry run, an apply, a rollback), in the transaction
 * that records it.
 *
 * @param runId the run
 * @param plan its plan
 * @param planVersion the plan's version it runs
 * @param phase its phase
 * @param mode dry run, apply or rollback
 * @param requestedBy who asked
 * @param rollsBack the apply a rollback undoes, or null
 */
public record RunRequested(long runId, String plan, int planVersion, String phase, RunMode mode, String requestedBy,
		Long rollsBack) {
}
