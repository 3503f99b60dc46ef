package dev.ferry.plan.spec;

import java.util.List;

/**
 * Gates evaluated after the previous phase's apply; it has no apply of its own.
 *
 * @param id the phase id
 * @param gates ids of the gates evaluated, never empty
 * @param onFail what Ferry does when one of them fails
 */
public record VerifyPhase(String id, List<String> gates, OnFail onFail) implements PhaseSpec {

	public VerifyPhase {
		gates = List.copyOf(gates);
	}

	@Override
	public Kind kind() {
		return Kind.VERIFY;
	}

	/** What a failed verification does: roll the plan's applies back, or only alert. */
	public enum OnFail {

		ROLLBACK("rollback"), ALERT("alert");

		private final String yamlName;

		OnFail(String yamlName) {
			this.yamlName = yamlName;
		}

		public String yamlName() {
			return this.yamlName;
		}

	}

}
