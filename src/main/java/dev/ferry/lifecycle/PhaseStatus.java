package dev.ferry.lifecycle;

import java.time.Instant;

/**
 * A phase's lifecycle state.
 *
 * @param plan the plan
 * @param phase the phase
 * @param state where it is
 * @param failedStep the step that failed when {@code state} is failed, else null
 * @param definedIn the plan version since which the phase (with its gates) is defined as
 * it is now: dry runs, gate results and approvals of older versions do not count
 * @param dryRun the dry run the phase's review, approval and next apply refer to, or null
 * @param approvedSha256 what the approvals named when they became complete (a mapping
 * phase: the sha256 of its decisions), or null
 * @param applyRun the apply that stands in the target (succeeded, or failed after writing
 * part of its batches), or null
 * @param activeRun the run of the phase queued or running now, or null
 * @param lastRun the phase's latest run of any kind, or null
 * @param verifiedApply a verify phase: the apply its verdict is about; null otherwise
 * @param detail the last transition in words, or null
 * @param changedAt when the state last changed, or null before any change
 */
public record PhaseStatus(String plan, String phase, PhaseState state, Step failedStep, int definedIn, Long dryRun,
		String approvedSha256, Long applyRun, Long activeRun, Long lastRun, Long verifiedApply, String detail,
		Instant changedAt) {

	/** Whether the phase's apply stands (wholly or in part) in the target. */
	public boolean applyStands() {
		return this.applyRun != null;
	}

	/** The state's word. */
	public String code() {
		return this.state.code();
	}

	/** Whether a dry run's review, approval and apply may still refer to it. */
	public boolean reviewable() {
		return this.state == PhaseState.DRY_RUN_READY || this.state == PhaseState.APPROVED;
	}

	/**
	 * The apply that used the phase's dry run (and its approvals), or null while nothing
	 * has.
	 */
	public Long spentBy() {
		return switch (this.state) {
			case APPLYING -> this.activeRun;
			case APPLIED, VERIFYING, VERIFIED, VERIFY_FAILED -> this.applyRun;
			case ROLLING_BACK -> this.applyRun;
			case ROLLED_BACK -> null;
			case FAILED -> (this.failedStep == Step.APPLY || this.failedStep == Step.ROLLBACK) ? this.applyRun : null;
			default -> null;
		};
	}

}
