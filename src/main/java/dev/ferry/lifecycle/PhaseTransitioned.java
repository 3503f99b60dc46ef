package dev.ferry.lifecycle;

/**
 * Published in the transaction of every lifecycle transition.
 *
 * @param plan the plan
 * @param phase the phase
 * @param from the state before
 * @param to the state after
 * @param event what happened, such as {@code apply-requested} or {@code plan-changed}
 * @param runId the run it concerns, or null
 * @param actor who caused it
 * @param detail words, or null
 */
public record PhaseTransitioned(String plan, String phase, PhaseState from, PhaseState to, String event, Long runId,
		String actor, String detail) {
}
