package dev.ferry.lifecycle;

import java.util.List;
import java.util.Optional;

/**
 * The one owner of each phase's lifecycle. Reading needs VIEWER. The transitions are
 * called by the modules that carry the actions out (runs, approvals, decisions, the
 * verifier), inside their own transaction: the check, the new state, its history row and
 * its audit entry commit with the action, or not at all. A refused transition throws
 * {@link dev.ferry.problem.RefusedException} (409) with its reasons.
 */
public interface PhaseLifecycle {

	/** A phase's state ({@code not-run} before anything happened to it). */
	PhaseStatus status(String plan, String phase);

	/** Every phase of the plan's latest version, in plan order. */
	List<PhaseStatus> ofPlan(String plan);

	/**
	 * Why {@code action} may not happen now, in words, from the state and every
	 * {@link ActionCondition} as last measured; empty when it may. What pages and the API
	 * show before anyone asks.
	 */
	List<String> refusals(String plan, String phase, Action action);

	/**
	 * The plan's newest apply that stands, across its phases: the only one that may be
	 * rolled back now.
	 */
	Optional<PhaseStatus> newestStandingApply(String plan);

	/**
	 * Checks an action that changes no state here (an approval, a decision), measuring
	 * the conditions again; throws 409 with the reasons when refused.
	 */
	void require(String plan, String phase, Action action);

	/**
	 * Locks the phase's lifecycle row for the rest of the caller's transaction. Every
	 * transaction that changes a phase takes its row before the plan's run lock and the
	 * audit log's head, so two of them never wait for each other in a circle; a module
	 * that does other work before its transition calls this first.
	 */
	void hold(String plan, String phase);

	/** A dry run was requested on {@code version}: checked, then {@code dry-running}. */
	void dryRunRequested(String plan, String phase, int version, long runId);

	/**
	 * An apply was requested: checked (measuring again), then {@code applying}; the
	 * approval it uses is spent.
	 */
	void applyRequested(String plan, String phase, long runId);

	/**
	 * A rollback of {@code applyRun} was requested: checked, then {@code rolling-back}.
	 */
	void rollbackRequested(String plan, String phase, long runId, long applyRun);

	/**
	 * A run of the phase ended.
	 * @param step what the run did
	 * @param wrote whether an apply that did not succeed committed part of its work in
	 * the target (then it stands, and can be rolled back)
	 * @param detail words, such as the error, or null
	 */
	void runEnded(String plan, String phase, long runId, int version, Step step, Outcome outcome, boolean wrote,
			String detail);

	/**
	 * The dry run has every approval it needs: {@code approved}, keeping what they named
	 * ({@code sha256}), which the apply checks again when it starts.
	 */
	void approvalsComplete(String plan, String phase, long dryRun, String sha256);

	/** What the approvals named changed (a decision): back to {@code dry-run-ready}. */
	void approvalsVoided(String plan, String phase, String why);

	/**
	 * A verify phase gave its verdict on an apply: the verify phase and the applied phase
	 * become {@code verified} or {@code verify-failed} (nothing happens when that apply
	 * no longer stands).
	 */
	void verified(String plan, String verifyPhase, String appliedPhase, long applyRun, boolean passed, String detail);

	/**
	 * The phases that follow a phase and verify its applies: the verify phases right
	 * after it, on the plan's latest version.
	 */
	List<String> verifiersOf(String plan, String phase);

}
