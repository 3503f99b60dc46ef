package dev.ferry.plan.spec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Passes when every table the apply of its phase changes has a snapshot (taken by a
 * {@code snapshot} phase of the same plan, its copy matching the live table) younger than
 * {@code maxAge}.
 *
 * @param id the gate id
 * @param level whether a failure blocks
 * @param maxAge how old the snapshot may be when the apply starts
 * @param tables the tables that need a snapshot; empty for the table the phase writes (an
 * import's table, a mapping's {@code into} table)
 */
public record SnapshotFreshGate(String id, Level level, Duration maxAge, List<TableRef> tables) implements GateSpec {

	public SnapshotFreshGate {
		tables = List.copyOf(tables);
	}

	@Override
	public Check check() {
		return Check.SNAPSHOT_FRESH;
	}

	/**
	 * The tables that need a fresh snapshot before the phase's apply: those the gate
	 * lists, else the table the phase writes; empty for a phase whose tables Ferry cannot
	 * tell (an sql phase: its parser requires {@code tables} then).
	 */
	public List<TableRef> tablesOf(PlanSpec plan, PhaseSpec phase) {
		if (!this.tables.isEmpty()) {
			return this.tables;
		}
		return written(plan, phase).map(List::of).orElse(List.of());
	}

	/** The table a phase's apply writes, when the plan says which. */
	public static Optional<TableRef> written(PlanSpec plan, PhaseSpec phase) {
		if (phase instanceof ImportPhase imported) {
			return Optional.of(new TableRef(TableRef.Side.TARGET, imported.table(), plan.target()));
		}
		if (phase instanceof MappingPhase mapping && mapping.into() != null) {
			return Optional.of(new TableRef(TableRef.Side.TARGET, mapping.into().table(), plan.target()));
		}
		return Optional.empty();
	}

}
