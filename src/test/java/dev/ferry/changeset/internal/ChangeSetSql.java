package dev.ferry.changeset.internal;

import dev.ferry.changeset.ChangeFilter;

/**
 * The SQL the change-set store runs, for the benchmarks that print its query plans, so
 * that they explain exactly the statements Ferry runs rather than a copy of them.
 */
public final class ChangeSetSql {

	private ChangeSetSql() {
	}

	public static String page(ChangeFilter filter, boolean after) {
		return ChangeSetQueries.pageQuery(filter, after);
	}

	public static String stream() {
		return ChangeRows.STREAM_QUERY;
	}

}
