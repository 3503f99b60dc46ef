package dev.ferry.plan.spec;

import java.util.List;

/**
 * A consistent copy of named tables into Ferry's data directory, with each table's rows
 * and checksum recorded and compared with the live table. Like a preflight it writes
 * nothing on the database it copies, so it has no apply: its run (a dry run) takes the
 * snapshot.
 *
 * @param id the phase id
 * @param connection the connection bare table names refer to (the plan's target unless
 * the phase says {@code connection:})
 * @param tables the tables copied, at least one, all on that connection
 * @param gates ids of the gates of this phase
 */
public record SnapshotPhase(String id, String connection, List<TableRef> tables,
		List<String> gates) implements PhaseSpec {

	public SnapshotPhase {
		tables = List.copyOf(tables);
		gates = List.copyOf(gates);
	}

	@Override
	public Kind kind() {
		return Kind.SNAPSHOT;
	}

}
