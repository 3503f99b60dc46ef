package dev.ferry.lifecycle;

import java.util.Arrays;

/** Where a phase is in its lifecycle; the codes are the API's and the console's words. */
public enum PhaseState {

	/** Nothing run on the phase's current definition, or what ran was voided. */
	NOT_RUN("not-run"),
	/** A dry run is queued or running. */
	DRY_RUNNING("dry-running"),
	/** A dry run succeeded and waits for review and approval (a preflight: measured). */
	DRY_RUN_READY("dry-run-ready"),
	/** The dry run has every approval the plan asks for. */
	APPROVED("approved"),
	/** An apply is queued or running. */
	APPLYING("applying"),
	/** An apply stands; no verify phase follows it. */
	APPLIED("applied"),
	/** An apply stands and the verify phases after it are checking it. */
	VERIFYING("verifying"),
	/** An apply stands and passed its verification (a verify phase: it passed). */
	VERIFIED("verified"),
	/** An apply stands and failed its verification (a verify phase: it failed). */
	VERIFY_FAILED("verify-failed"),
	/** A rollback is queued or running. */
	ROLLING_BACK("rolling-back"),
	/** The phase's apply was rolled back. */
	ROLLED_BACK("rolled-back"),
	/** A step failed; {@link PhaseStatus#failedStep()} says which. */
	FAILED("failed");

	private final String code;

	PhaseState(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

	/** Whether a run of the phase is queued or running. */
	public boolean active() {
		return this == DRY_RUNNING || this == APPLYING || this == ROLLING_BACK;
	}

	public static PhaseState of(String code) {
		return Arrays.stream(values())
			.filter(state -> state.code.equals(code))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown phase state " + code));
	}

}
