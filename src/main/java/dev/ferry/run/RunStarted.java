package dev.ferry.run;

/**
 * Published when a run starts (queued to running), in the transaction that starts it.
 *
 * @param runId the run
 * @param plan its plan
 * @param phase its phase
 * @param mode dry run, apply or rollback
 */
public record RunStarted(long runId, String plan, String phase, RunMode mode) {
}
