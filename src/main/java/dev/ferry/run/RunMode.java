package dev.ferry.run;

import java.util.Arrays;

import dev.ferry.problem.InvalidException;

/** What a run does with its phase. */
public enum RunMode {

	DRY_RUN("dry-run"), APPLY("apply"), ROLLBACK("rollback");

	private final String code;

	RunMode(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

	public static RunMode of(String code) {
		return Arrays.stream(values())
			.filter(mode -> mode.code.equals(code))
			.findFirst()
			.orElseThrow(() -> new InvalidException("mode", "run.mode.invalid",
					"A run's mode is dry-run, apply or rollback, not " + code + ".", code));
	}

}
