package dev.ferry.plan.spec;

import java.util.List;

/**
 * Statements run as written on one connection, in one transaction.
 *
 * @param id the phase id
 * @param connection the connection the statements run on (the plan's target unless the
 * phase says {@code connection:})
 * @param apply the statements that apply the phase
 * @param rollback the statements that undo them, {@code null} only when irreversible
 * @param irreversible whether the phase cannot be rolled back
 * @param gates ids of the gates of this phase
 */
public record SqlPhase(String id, String connection, String apply, String rollback, boolean irreversible,
		List<String> gates) implements PhaseSpec {

	public SqlPhase {
		gates = List.copyOf(gates);
	}

	@Override
	public Kind kind() {
		return Kind.SQL;
	}

}
