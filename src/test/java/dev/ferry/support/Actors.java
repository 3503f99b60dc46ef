package dev.ferry.support;

import java.util.function.Supplier;

import dev.ferry.gate.Approval;
import dev.ferry.gate.ApprovalService;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;

/**
 * Calls services as a named user with one role, as a signed-in person would (the system,
 * {@code SystemActor}, may not approve), and approves dry runs as the demo's second
 * operator.
 */
public final class Actors {

	/** The demo user who approves what the tests' system requested. */
	public static final String APPROVER = "operator2";

	private Actors() {
	}

	public static <T> T as(String username, Role role, Supplier<T> work) {
		return SystemActor.callOnBehalfOf(username, role, work);
	}

	/**
	 * Runs a phase to its end as the system (an apply as {@link #requestApply} requests
	 * it), and fails unless it succeeded.
	 */
	public static RunView succeeded(RunService runs, ApprovalService approvals, String plan, String phase,
			RunMode mode) {
		RunView run = (mode == RunMode.APPLY) ? requestApply(runs, approvals, plan, phase)
				: SystemActor.call(() -> runs.request(plan, phase, mode));
		RunView done = Await.finished(runs, run);
		if (done.state() != RunState.SUCCEEDED) {
			throw new AssertionError("Run #" + done.id() + " of " + plan + " · " + phase + " ended "
					+ done.state().name().toLowerCase(java.util.Locale.ROOT) + ": " + done.error());
		}
		return done;
	}

	/**
	 * Requests an apply as the system, as an operator would after the review: with a
	 * succeeded dry run of the phase (run first when there is none, or the latest did not
	 * succeed) approved by {@value #APPROVER}.
	 */
	public static RunView requestApply(RunService runs, ApprovalService approvals, String plan, String phase) {
		approved(runs, approvals, plan, phase);
		return SystemActor.call(() -> runs.request(plan, phase, RunMode.APPLY));
	}

	/**
	 * Makes sure the phase has a dry run approved by {@value #APPROVER} that an apply may
	 * use: its latest succeeded dry run when that one can still be approved, else a new
	 * one (an approval authorizes one apply, a plan edit voids a changed phase's dry
	 * run); returns it.
	 */
	public static RunView approved(RunService runs, ApprovalService approvals, String plan, String phase) {
		RunView dryRun = SystemActor.call(() -> runs.latest(plan, phase, RunMode.DRY_RUN))
			.filter(run -> run.state() == RunState.SUCCEEDED)
			.orElse(null);
		if (dryRun != null) {
			long id = dryRun.id();
			boolean approved = SystemActor.call(() -> approvals.ofPhase(plan, phase, 50))
				.stream()
				.anyMatch(a -> a.valid() && a.runId() == id && a.approvedBy().equals(APPROVER));
			if (approved) {
				return dryRun;
			}
			try {
				approve(approvals, plan, phase, id);
				return dryRun;
			}
			catch (RefusedException ex) {
				// spent by an apply, or voided: a new dry run is needed
			}
		}
		RunView requested = SystemActor.call(() -> runs.request(plan, phase, RunMode.DRY_RUN));
		Await.until(() -> !SystemActor.call(() -> runs.get(requested.id())).state().active(),
				"dry run #" + requested.id());
		RunView fresh = SystemActor.call(() -> runs.get(requested.id()));
		approve(approvals, plan, phase, fresh.id());
		return fresh;
	}

	/** Approves a dry run as {@value #APPROVER}, an OPERATOR who did not request it. */
	public static Approval approve(ApprovalService approvals, String plan, String phase, long dryRun) {
		return as(APPROVER, Role.OPERATOR, () -> approvals.approve(plan, phase, dryRun, null));
	}

}
