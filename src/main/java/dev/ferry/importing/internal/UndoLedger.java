package dev.ferry.importing.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.run.RunContext;

/**
 * The tables Ferry keeps in a target database so that an apply is exactly-once and can be
 * undone exactly, written in the same transaction as the rows they describe:
 * <ul>
 * <li>{@code ferry_applies}: one row per apply (its dry run, the table it writes, the
 * table of its before-images, the table's checksum right before the apply);</li>
 * <li>{@code ferry_apply_batches}: one row per committed batch (where it starts in the
 * change set and ends, its counts, and which rollback undid it), so a batch that
 * committed on the target but not in Ferry's store is recognised after a restart and not
 * written again;</li>
 * <li>{@code ferry_undo_
 *
<table>
 * }: the before-image of every row a batch touches, with all the table's columns in their
 * own types (an inserted row as it was inserted, so its undo can find and delete
 * it).</li>
 * </ul>
 * Ferry never deletes rows of these tables; see docs/architecture.md for purging them.
 */
final class UndoLedger {

	static final String APPLIES = "ferry_applies";

	static final String BATCHES = "ferry_apply_batches";

	private UndoLedger() {
	}

	/**
	 * Creates the ledger tables when the target has none yet (DDL, committed at once).
	 */
	static void ensure(Connection connection) throws SQLException {
		if (!ConnectionKind.hasTable(connection, APPLIES)) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE " + APPLIES + " (run_id BIGINT PRIMARY KEY, plan VARCHAR(64) NOT NULL, "
						+ "phase VARCHAR(64) NOT NULL, dry_run_id BIGINT NOT NULL, table_name VARCHAR(200) NOT NULL, "
						+ "undo_table VARCHAR(64) NOT NULL, checksum_before VARCHAR(100) NOT NULL, "
						+ "started_at TIMESTAMP NOT NULL)");
			}
		}
		if (!ConnectionKind.hasTable(connection, BATCHES)) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE " + BATCHES + " (run_id BIGINT NOT NULL, after_seq BIGINT NOT NULL, "
						+ "last_seq BIGINT NOT NULL, rows_read BIGINT NOT NULL, rows_inserted BIGINT NOT NULL, "
						+ "rows_updated BIGINT NOT NULL, rows_deleted BIGINT NOT NULL, rows_rejected BIGINT NOT NULL, "
						+ "applied_at TIMESTAMP NOT NULL, rolled_back_by BIGINT, rolled_back_at TIMESTAMP, "
						+ "PRIMARY KEY (run_id, after_seq))");
			}
		}
	}

	/**
	 * PostgreSQL: brings the undo table's BRIN index up to date before a rollback reads
	 * it. A BRIN index only summarizes a stretch of pages when asked (or when autovacuum
	 * gets to it); until then every stretch written since is read for every batch. Needs
	 * the login that created the table; without it the rollback is right, only slower,
	 * and its log says so.
	 */
	static void summarize(Connection connection, String undoTable, RunContext run) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT brin_summarize_new_values(c.oid) FROM pg_class c JOIN pg_am a ON a.oid = c.relam "
					+ "WHERE c.oid = CAST(? AS regclass) AND a.amname = 'brin'")) {
			statement.setString(1, undoTable + "_batch_idx");
			statement.execute();
		}
		catch (SQLException ex) {
			if (!connection.getAutoCommit()) {
				throw ex;
			}
			run.log("Could not bring the index of " + undoTable + " up to date (" + ex.getMessage()
					+ "); the rollback reads more of the undo table than it needs to.");
		}
	}

	/**
	 * The before-image table of a target table, created when missing: the table's own
	 * columns (copied from it, so their types are exactly the table's) after four of the
	 * ledger's.
	 */
	static String ensureUndoTable(Connection connection, String quotedTable, String table) throws SQLException {
		String name = undoTableName(table);
		if (!ConnectionKind.hasTable(connection, name)) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE " + name + " AS SELECT CAST(NULL AS BIGINT) AS ferry_run_id, "
						+ "CAST(NULL AS BIGINT) AS ferry_after_seq, CAST(NULL AS BIGINT) AS ferry_seq, "
						+ "CAST(NULL AS VARCHAR(10)) AS ferry_op, t.* FROM " + quotedTable + " t WHERE 1 = 0");
				// a batch's images are appended together, in one stretch of the table: on
				// PostgreSQL a BRIN index (the range of each 16 pages) finds them, and
				// costs next to nothing to keep up, where a B-tree entry per image made
				// the images of an insert cost half as much as the rows themselves
				String index = (ConnectionKind.of(connection) == ConnectionKind.POSTGRESQL)
						? " USING brin (ferry_run_id, ferry_after_seq) WITH (pages_per_range = 16)"
						: " (ferry_run_id, ferry_after_seq)";
				statement.execute("CREATE INDEX " + name + "_batch_idx ON " + name + index);
			}
		}
		return name;
	}

	/**
	 * {@code ferry_undo_} and the table's name in lower case letters, digits and
	 * underscores, with a short hash of the exact name so two tables never share one.
	 */
	static String undoTableName(String table) {
		String plain = table.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
		if (plain.length() > 40) {
			plain = plain.substring(0, 40);
		}
		return "ferry_undo_" + plain + "_" + HexFormat.of().formatHex(sha256(table)).substring(0, 8);
	}

	/** The columns of a table as the database names them, in its order. */
	static List<String> columns(Connection connection, String quotedTable) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT * FROM " + quotedTable + " WHERE 1 = 0")) {
			ResultSetMetaData meta = rs.getMetaData();
			List<String> names = new ArrayList<>();
			for (int i = 1; i <= meta.getColumnCount(); i++) {
				names.add(meta.getColumnName(i));
			}
			return names;
		}
	}

	static Optional<Apply> apply(Connection connection, long runId) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(
				"SELECT dry_run_id, table_name, undo_table, checksum_before FROM " + APPLIES + " WHERE run_id = ?")) {
			statement.setLong(1, runId);
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next()
						? Optional
							.of(new Apply(runId, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
						: Optional.empty();
			}
		}
	}

	static void recordApply(Connection connection, long runId, String plan, String phase, long dryRunId, String table,
			String undoTable, String checksumBefore, Instant at) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + APPLIES
				+ " (run_id, plan, phase, dry_run_id, table_name, undo_table, checksum_before, started_at) "
				+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
			statement.setLong(1, runId);
			statement.setString(2, plan);
			statement.setString(3, phase);
			statement.setLong(4, dryRunId);
			statement.setString(5, table);
			statement.setString(6, undoTable);
			statement.setString(7, checksumBefore);
			statement.setTimestamp(8, Timestamp.from(at));
			statement.executeUpdate();
		}
	}

	/** The batch of an apply that started after {@code afterSeq}, if it committed. */
	static Optional<Batch> batch(Connection connection, long runId, long afterSeq) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT " + Batch.COLUMNS + " FROM " + BATCHES + " WHERE run_id = ? AND after_seq = ?")) {
			statement.setLong(1, runId);
			statement.setLong(2, afterSeq);
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() ? Optional.of(Batch.of(rs)) : Optional.empty();
			}
		}
	}

	/**
	 * The newest batch of an apply that no rollback has undone yet, before
	 * {@code beforeAfterSeq} (the rollback's last recorded batch; any, when null). Below
	 * that batch every batch is still to undo (but the one {@link #undoneBy} reports
	 * first), so the key's index finds it at once instead of skipping every batch already
	 * undone.
	 */
	static Optional<Batch> newestNotUndone(Connection connection, long runId, Long beforeAfterSeq) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT " + Batch.COLUMNS + " FROM " + BATCHES
				+ " WHERE run_id = ? AND after_seq < ? AND rolled_back_by IS NULL ORDER BY after_seq DESC")) {
			statement.setLong(1, runId);
			statement.setLong(2, (beforeAfterSeq == null) ? Long.MAX_VALUE : beforeAfterSeq);
			statement.setMaxRows(1);
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() ? Optional.of(Batch.of(rs)) : Optional.empty();
			}
		}
	}

	/**
	 * The batch of an apply that {@code rollbackRunId} undid in the target right before
	 * {@code beforeAfterSeq} (when null: its newest), if any: a batch the target undid
	 * and Ferry's store did not record (a crash between the two commits).
	 */
	static Optional<Batch> undoneBy(Connection connection, long runId, long rollbackRunId, Long beforeAfterSeq)
			throws SQLException {
		if (beforeAfterSeq != null) {
			// a rollback undoes newest first and records each batch before the next: only
			// the batch right before the last recorded one can be undone but unrecorded.
			// Looked up by the key, not by scanning every batch below the checkpoint for
			// this rollback's (which made a rollback of 2,000 batches quadratic)
			try (PreparedStatement statement = connection.prepareStatement("SELECT " + Batch.COLUMNS + " FROM "
					+ BATCHES + " WHERE run_id = ? AND rolled_back_by = ? AND after_seq = (SELECT max(after_seq) FROM "
					+ BATCHES + " WHERE run_id = ? AND after_seq < ?)")) {
				statement.setLong(1, runId);
				statement.setLong(2, rollbackRunId);
				statement.setLong(3, runId);
				statement.setLong(4, beforeAfterSeq);
				try (ResultSet rs = statement.executeQuery()) {
					return rs.next() ? Optional.of(Batch.of(rs)) : Optional.empty();
				}
			}
		}
		try (PreparedStatement statement = connection.prepareStatement("SELECT " + Batch.COLUMNS + " FROM " + BATCHES
				+ " WHERE run_id = ? AND rolled_back_by = ? ORDER BY after_seq DESC")) {
			statement.setLong(1, runId);
			statement.setLong(2, rollbackRunId);
			statement.setMaxRows(1);
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() ? Optional.of(Batch.of(rs)) : Optional.empty();
			}
		}
	}

	/**
	 * The batches a rollback has to undo: those no rollback has undone yet, and those it
	 * undid itself (so a rollback that counts again after a restart counts them too).
	 */
	static long countToUndo(Connection connection, long runId, long rollbackRunId) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + BATCHES
				+ " WHERE run_id = ? AND (rolled_back_by IS NULL OR rolled_back_by = ?)")) {
			statement.setLong(1, runId);
			statement.setLong(2, rollbackRunId);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	static void recordBatch(Connection connection, long runId, Batch batch, Instant at) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + BATCHES
				+ " (run_id, after_seq, last_seq, rows_read, rows_inserted, rows_updated, rows_deleted, rows_rejected, "
				+ "applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
			statement.setLong(1, runId);
			statement.setLong(2, batch.afterSeq());
			statement.setLong(3, batch.lastSeq());
			statement.setLong(4, batch.read());
			statement.setLong(5, batch.inserted());
			statement.setLong(6, batch.updated());
			statement.setLong(7, batch.deleted());
			statement.setLong(8, batch.rejected());
			statement.setTimestamp(9, Timestamp.from(at));
			statement.executeUpdate();
		}
	}

	static void markUndone(Connection connection, long applyRunId, long afterSeq, long rollbackRunId, Instant at)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("UPDATE " + BATCHES
				+ " SET rolled_back_by = ?, rolled_back_at = ? WHERE run_id = ? AND after_seq = ?")) {
			statement.setLong(1, rollbackRunId);
			statement.setTimestamp(2, Timestamp.from(at));
			statement.setLong(3, applyRunId);
			statement.setLong(4, afterSeq);
			statement.executeUpdate();
		}
	}

	static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An apply as its target knows it. */
	record Apply(long runId, long dryRunId, String table, String undoTable, String checksumBefore) {
	}

	/**
	 * A committed batch: the change rows after {@code afterSeq} up to {@code lastSeq}.
	 */
	record Batch(long afterSeq, long lastSeq, long read, long inserted, long updated, long deleted, long rejected) {

		static final String COLUMNS = "after_seq, last_seq, rows_read, rows_inserted, rows_updated, rows_deleted, "
				+ "rows_rejected";

		static Batch of(ResultSet rs) throws SQLException {
			return new Batch(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
					rs.getLong(7));
		}

	}

}
