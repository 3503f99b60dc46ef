package dev.ferry.lifecycle;

/** The step of a phase that ran (and, for a failed phase, the one that failed). */
public enum Step {

	DRY_RUN("dry-run"), APPLY("apply"), VERIFY("verify"), ROLLBACK("rollback");

	private final String code;

	Step(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

	public static Step of(String code) {
		for (Step step : values()) {
			if (step.code.equals(code)) {
				return step;
			}
		}
		throw new IllegalArgumentException("Unknown step " + code);
	}

}
