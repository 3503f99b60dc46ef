package dev.ferry.changeset.internal;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.changeset.ChangeOp;

/**
 * The SQL the change-set store runs, for the benchmarks that print its query plans, so
 * that they explain exactly the statements Ferry runs rather than a copy of them.
 */
public final class ChangeSetSql {

	private ChangeSetSql() {
	}

	/**
	 * The statement a page's scan runs for a few segments, and the parameters of the filter
	 * (between the bound and the limit).
	 * @param op the operation, or null for every change
	 * @param q a key prefix, or null
	 */
	public static Scan scan(ChangeOp op, String q) {
		List<Object> params = new ArrayList<>();
		String sql = ChangeSegments.scanQuery(new ChangeSegments.SegmentFilter(op, null, q, null, null), false,
				params);
		return new Scan(sql, params);
	}

	/** A scan's SQL and the filter's parameters. */
	public record Scan(String sql, List<Object> filterParams) {
	}

}
