package dev.ferry.run;

/**
 * Published when a run ends (succeeded, failed or cancelled), in the transaction that
 * ends it: listeners after the commit see the run as it ended.
 *
 * @param runId the run
 * @param plan its plan
 * @param planVersion the plan's version it ran
 * @param phase its phase
 * @param mode dry run, apply or rollback
 * @param state how it ended
 */
public record RunEnded(long runId, String plan, int planVersion, String phase, RunMode mode, RunState state) {
}
