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
	 * Whether Ferry can run this phase in this mode yet (a phase executor exists for it).
	 */
	boolean supports(dev.ferry.plan.spec.PhaseSpec phase, RunMode mode);

	/** Whether a run of the plan is queued or running. */
	boolean active(String plan);

	/** Starts the rollback of a succeeded apply, as a run of its own (OPERATOR). */
	RunView rollback(long applyRunId);

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
