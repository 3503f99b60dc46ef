package dev.ferry.plan.spec;

import java.util.List;

/**
 * Measures before anything is written: row counts, checksums, snapshots into the undo
 * ledger.
 *
 * @param id the phase id
 * @param connection the connection bare table names refer to (the plan's target unless
 * the phase says {@code connection:})
 * @param count tables whose rows are counted
 * @param checksum tables whose order-independent checksum is taken
 * @param snapshot tables copied into the undo ledger before the plan's first apply
 * @param gates ids of the gates of this phase
 */
public record PreflightPhase(String id, String connection, List<TableRef> count, List<TableRef> checksum,
		List<TableRef> snapshot, List<String> gates) implements PhaseSpec {

	public PreflightPhase {
		count = List.copyOf(count);
		checksum = List.copyOf(checksum);
		snapshot = List.copyOf(snapshot);
		gates = List.copyOf(gates);
	}

	@Override
	public Kind kind() {
		return Kind.PREFLIGHT;
	}

}
