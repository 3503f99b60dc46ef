package dev.ferry.run;

import java.util.List;
import java.util.Optional;

/**
 * Requests, watches and cancels runs. Requesting and cancelling need OPERATOR, reading
 * VIEWER. At most one run of a plan is active at a time; a second request is refused
 * (409).
 */
public interface RunService {

	RunView request(String plan, String phase, RunMode mode);

	/**
	 * Starts a run of the latest version of a plan's phase.
	 * @param confirmIrreversible the extra confirmation an apply of an irreversible phase
	 * needs
	 */
	RunView request(String plan, String phase, RunMode mode, boolean confirmIrreversible);

	RunView get(long id);

	/**
	 * The runs of a plan, newest first, a keyset page before {@code before} (exclusive).
	 */
	List<RunView> ofPlan(String plan, Long before, int limit);

	/** The newest run of a phase in a mode, if any. */
	Optional<RunView> latest(String plan, String phase, RunMode mode);

	/**
	 * The newest run of a phase in a mode that succeeded, if any: what it took is a
	 * measure of what the next one will take (the runbook's estimates).
	 */
	Optional<RunView> latestSucceeded(String plan, String phase, RunMode mode);

	/**
	 * Whether Ferry can run this phase in this mode yet (a phase executor exists for it).
	 */
	boolean supports(dev.ferry.plan.spec.PhaseSpec phase, RunMode mode);

	/** Whether a run of the plan is queued or running. */
	boolean active(String plan);

	/**
	 * Rows an apply may have written (inserted + updated + deleted) and still be rolled
	 * back on a click; above this, a person's rollback request must name the apply's
	 * plan.
	 */
	long ROLLBACK_NAMES_PLAN_ABOVE = 10_000;

	/**
	 * Starts the rollback of an apply, as a run of its own (OPERATOR), without asking for
	 * the plan id: for the rollbacks the plan itself orders (a verify's
	 * {@code on-fail: rollback}), which its author confirmed by writing them. A person's
	 * request goes through {@link #rollback(long, String)}.
	 */
	RunView rollback(long applyRunId);

	/**
	 * Starts the rollback a person asked for (OPERATOR): as {@link #rollback(long)}, and
	 * an apply that wrote more than {@link #ROLLBACK_NAMES_PLAN_ABOVE} rows is rolled
	 * back only when {@code confirmPlan} is its plan's id (refused, 409, otherwise).
	 */
	RunView rollback(long applyRunId, String confirmPlan);

	/**
	 * Whether a person's rollback of this apply must name its plan: it wrote more than
	 * {@link #ROLLBACK_NAMES_PLAN_ABOVE} rows.
	 */
	static boolean rollbackNamesPlan(RunView apply) {
		return rowsWritten(apply) > ROLLBACK_NAMES_PLAN_ABOVE;
	}

	/** The rows an apply wrote: inserted, updated and deleted. */
	static long rowsWritten(RunView apply) {
		RunCounts counts = apply.counts();
		return counts == null ? 0 : counts.inserted() + counts.updated() + counts.deleted();
	}

	/** Asks a run to stop after its current batch. */
	RunView cancel(long id);

	List<RunLogLine> log(long id);

	Optional<String> result(long id, String name);

	/**
	 * Why an apply of the phase may not start now, in words (empty when it may): what an
	 * apply request would be refused with, from the gates and approvals as last measured.
	 */
	List<String> applyLocks(String plan, String phase);

}
