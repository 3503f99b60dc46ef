package dev.ferry.changeset;

import java.util.List;

/**
 * The start of a dry run's change set: where it would write and the columns its rows
 * hold.
 * @param runId the dry run
 * @param connection the connection of the table written
 * @param table the table written, as the database names it
 * @param columns the columns of every before and after image, in order
 * @param key the columns that identify a row, a subset of {@code columns}
 */
public record NewChangeSet(long runId, String plan, int planVersion, String phase, String connection, String table,
		List<ChangeColumn> columns, List<String> key) {

	public NewChangeSet {
		columns = List.copyOf(columns);
		key = List.copyOf(key);
	}

}
