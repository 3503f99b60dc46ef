package dev.ferry.gate;

import java.time.Instant;

import dev.ferry.plan.spec.GateSpec;

/**
 * One evaluation of a gate.
 *
 * @param id the gate's id
 * @param check its check, as the plan names it
 * @param level whether failing blocks ({@code error}) or only warns
 * @param value what was measured, as shown; null when nothing could be measured
 * @param threshold what the value must satisfy, as shown
 * @param passed whether it did; null when it was not measured (no dry run yet, a table
 * that does not exist yet)
 * @param detail why, in words: the differences, the error, what is missing; or null
 * @param measuredOnRun the run the value comes from (a dry run, a preflight), or null
 * @param measuredAt when it was measured; null for a gate never evaluated
 */
public record GateResult(String id, String check, GateSpec.Level level, String value, String threshold, Boolean passed,
		String detail, Long measuredOnRun, Instant measuredAt) {

	/** Pass, fail, warn (a failed warn-level gate) or not measured. */
	public State state() {
		if (this.passed == null) {
			return State.NOT_MEASURED;
		}
		if (this.passed) {
			return State.PASS;
		}
		return (this.level == GateSpec.Level.WARN) ? State.WARN : State.FAIL;
	}

	/**
	 * Whether this result keeps an apply locked: a failed or unmeasured error-level gate.
	 */
	public boolean blocks() {
		return this.level == GateSpec.Level.ERROR && !Boolean.TRUE.equals(this.passed);
	}

	/** A gate's state, with the words the pages and the API use. */
	public enum State {

		PASS("pass"), FAIL("fail"), WARN("warn"), NOT_MEASURED("not-measured");

		private final String code;

		State(String code) {
			this.code = code;
		}

		public String code() {
			return this.code;
		}

	}

}
