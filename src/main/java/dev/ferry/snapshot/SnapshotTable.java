package dev.ferry.snapshot;

import java.time.Instant;

/**
 * One table of a snapshot.
 *
 * @param runId the snapshot run that copied it
 * @param seq its place in the run
 * @param plan the plan whose snapshot phase copied it
 * @param connection the connection it was copied from
 * @param table the table's name as the database spells it
 * @param engine {@code sqlite}, {@code h2} or {@code postgresql}
 * @param file the file in the snapshot's folder that holds the copy (SQLite and H2: one
 * database file per connection, holding each table copied from it)
 * @param rows the rows of the copy, equal to the live table's
 * @param checksum the order-independent checksum of the copy's rows, as a preflight
 * measures it
 * @param liveChecksum the live table's checksum when it was copied (equal to
 * {@code checksum}, or the snapshot would have failed)
 * @param columns PostgreSQL: the table's columns as {@code CREATE TABLE} writes them, for
 * a table to load the copy into; {@code null} otherwise
 * @param bytes the size of the file the copy went to, when it was written
 * @param copiedAt when the copy was taken
 * @param expiredAt when retention deleted the file, or {@code null} while it is kept
 */
public record SnapshotTable(long runId, int seq, String plan, String connection, String table, String engine,
		String file, long rows, String checksum, String liveChecksum, String columns, long bytes, Instant copiedAt,
		Instant expiredAt) {

	public boolean expired() {
		return this.expiredAt != null;
	}

}
