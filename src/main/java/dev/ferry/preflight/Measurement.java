package dev.ferry.preflight;

import java.time.Instant;

/**
 * One preflight measurement: a table's row count and, when asked for, its
 * order-independent checksum; or a query-unchanged baseline (the checksum of the query's
 * ordered result, with {@code subject} naming the gate).
 */
public record Measurement(int seq, Kind kind, String subject, String connection, long rows, String checksum,
		Instant measuredAt) {

	public enum Kind {

		TABLE, QUERY

	}

}
