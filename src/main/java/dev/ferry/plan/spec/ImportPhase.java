package dev.ferry.plan.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows read by a query, normalized per column and compared by key with a table of the
 * plan's target.
 *
 * @param id the phase id
 * @param connection the connection the query runs on (the plan's source unless the phase
 * says {@code connection:})
 * @param query the query, run as written
 * @param table the table written, on the plan's target
 * @param key the target columns that identify a row
 * @param columns the rule of each target column, in the order written
 * @param deleteMissing whether target rows whose key the query no longer returns are
 * deleted
 * @param batchSize rows per apply batch
 * @param gates ids of the gates of this phase
 */
public record ImportPhase(String id, String connection, String query, String table, List<String> key,
		Map<String, ColumnRule> columns, boolean deleteMissing, int batchSize,
		List<String> gates) implements PhaseSpec {

	public static final int DEFAULT_BATCH_SIZE = 5000;

	public ImportPhase {
		key = List.copyOf(key);
		// the order of the columns is the order of the written rows and of the diff
		columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
		gates = List.copyOf(gates);
	}

	@Override
	public Kind kind() {
		return Kind.IMPORT;
	}

}
