package dev.ferry.run;

import java.util.Arrays;

/** Where a run is in its life; the last four are final. */
public enum RunState {

	QUEUED("queued"), RUNNING("running"), SUCCEEDED("succeeded"), FAILED("failed"), CANCELLED("cancelled"),
	ROLLED_BACK("rolled-back");

	private final String code;

	RunState(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

	public boolean active() {
		return this == QUEUED || this == RUNNING;
	}

	public static RunState of(String code) {
		return Arrays.stream(values())
			.filter(state -> state.code.equals(code))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown run state " + code));
	}

}
