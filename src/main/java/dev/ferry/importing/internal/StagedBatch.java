package dev.ferry.importing.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ferry.changeset.ChangeColumn;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.StoredChange;
import org.postgresql.PGConnection;

/**
 * An apply batch on PostgreSQL, set-based: the batch's change rows are copied
 * ({@code COPY}) into a temporary staging table typed like the target table (after and
 * before values side by side), then one statement each finds the conflicts, keeps the
 * before-images, deletes, updates, inserts and keeps the keys of the inserted rows. The
 * staging table lives until the batch's transaction ends.
 */
final class StagedBatch {

	static final String STAGE = "ferry_stage";

	private StagedBatch() {
	}

	/**
	 * @return inserted, updated and deleted rows
	 */
	static long[] write(ApplyTarget target, Connection connection, long runId, long afterSeq, List<StoredChange> writes,
			Layout layout, String undo, long dryRun) throws SQLException {
		int n = target.quotedPlanColumns().size();
		long inserts = writes.stream().filter(c -> c.op() == ChangeOp.INSERT).count();
		long updates = writes.stream().filter(c -> c.op() == ChangeOp.UPDATE).count();
		long deletes = writes.stream().filter(c -> c.op() == ChangeOp.DELETE).count();
		stage(target, connection, writes, layout);

		// statements for an operation the batch does not have are left out: many batches
		// are inserts only, or updates only
		List<String> conflicts = conflicts(target, connection, writes, layout, inserts > 0, updates + deletes > 0);
		if (!conflicts.isEmpty()) {
			throw new ApplyConflict(conflicts, target.table(), dryRun);
		}
		String join = keyJoin(target);
		String all = String.join(", ", target.quotedAllColumns().stream().map(c -> "t." + c).toList());
		String capture = "INSERT INTO " + undo + " (ferry_run_id, ferry_after_seq, ferry_seq, ferry_op, "
				+ String.join(", ", target.quotedAllColumns()) + ") SELECT ?, ?, s.ferry_seq, s.ferry_op, " + all
				+ " FROM " + STAGE + " s JOIN " + target.quotedTable() + " t ON " + join + " WHERE s.ferry_op IN ";
		long captured = (updates + deletes == 0) ? 0
				: update(connection, capture + "('update', 'delete')", runId, afterSeq);
		long deleted = (deletes == 0) ? 0 : update(connection, "DELETE FROM " + target.quotedTable() + " t USING "
				+ STAGE + " s WHERE s.ferry_op = 'delete' AND " + join);
		List<String> sets = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			String column = target.quotedPlanColumns().get(i);
			if (!target.quotedKeyColumns().contains(column)) {
				sets.add(column + " = s.ferry_a" + i);
			}
		}
		long updated = (sets.isEmpty() || updates == 0) ? 0
				: update(connection, "UPDATE " + target.quotedTable() + " t SET " + String.join(", ", sets) + " FROM "
						+ STAGE + " s WHERE s.ferry_op = 'update' AND " + join);
		List<String> after = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			after.add("s.ferry_a" + i);
		}
		long inserted = (inserts == 0) ? 0
				: update(connection,
						"INSERT INTO " + target.quotedTable() + " (" + String.join(", ", target.quotedPlanColumns())
								+ ") SELECT " + String.join(", ", after) + " FROM " + STAGE
								+ " s WHERE s.ferry_op = 'insert' ORDER BY s.ferry_seq");
		// an inserted row had no before-image: its key is all its undo needs to delete it
		// (a table made by CREATE TABLE AS keeps no NOT NULL, so the other columns stay
		// empty)
		List<String> keyColumns = new ArrayList<>();
		List<String> keyValues = new ArrayList<>();
		for (String key : target.quotedKeyColumns()) {
			keyColumns.add(key);
			keyValues.add("s.ferry_a" + target.quotedPlanColumns().indexOf(key));
		}
		captured += (inserts == 0) ? 0
				: update(connection,
						"INSERT INTO " + undo + " (ferry_run_id, ferry_after_seq, ferry_seq, ferry_op, "
								+ String.join(", ", keyColumns) + ") SELECT ?, ?, s.ferry_seq, s.ferry_op, "
								+ String.join(", ", keyValues) + " FROM " + STAGE + " s WHERE s.ferry_op = 'insert'",
						runId, afterSeq);
		if (inserted != inserts || updated != updates || deleted != deletes || captured != writes.size()) {
			throw new IllegalStateException(String.format(Locale.ROOT,
					"The batch after change row %d wrote %d insert(s), %d update(s), %d delete(s) and %d before-image(s) "
							+ "to %s instead of %d, %d, %d and %d; it was rolled back.",
					afterSeq, inserted, updated, deleted, captured, target.table(), inserts, updates, deletes,
					writes.size()));
		}
		return new long[] { inserted, updated, deleted };
	}

	/**
	 * An insert-only batch into a table whose key is unique, the common case of a first
	 * import: the rows are copied ({@code COPY}) straight into the table, their keys
	 * straight into the undo table. The key's unique index is the drift check: a row
	 * whose key now exists makes the {@code COPY} fail (SQLState 23505), and the caller
	 * then rolls the transaction back and writes the batch through the staging table,
	 * whose drift check names every such key.
	 * @return inserted, updated and deleted rows
	 * @throws SQLException with SQLState 23505 when a key already exists
	 */
	static long[] copyInserts(ApplyTarget target, Connection connection, long afterSeq, InsertCopy copy)
			throws SQLException {
		long inserted = copy(connection, copy.rowsSql(), copy.rows());
		long captured = copy(connection, copy.keysSql(), copy.keys());
		if (inserted != copy.count() || captured != copy.count()) {
			throw new IllegalStateException(String.format(Locale.ROOT,
					"The batch after change row %d copied %d row(s) into %s and %d key(s) into its undo table "
							+ "instead of %d; it was rolled back.",
					afterSeq, inserted, target.table(), captured, copy.count()));
		}
		return new long[] { inserted, 0, 0 };
	}

	/**
	 * The two COPYs of an insert-only batch, written out (on the thread that reads
	 * ahead): the rows' plan columns into the table, and each row's key (its
	 * before-image: no row) into the undo table.
	 */
	record InsertCopy(String rowsSql, byte[] rows, String keysSql, byte[] keys, int count) {

		static InsertCopy of(ApplyTarget target, Layout layout, long runId, long afterSeq, List<StoredChange> inserts,
				String undo) {
			int n = target.quotedPlanColumns().size();
			StringBuilder rows = new StringBuilder(inserts.size() * 64);
			for (StoredChange change : inserts) {
				for (int i = 0; i < n; i++) {
					if (i > 0) {
						rows.append('\t');
					}
					appendCopyText(rows, layout.after(change, i));
				}
				rows.append('\n');
			}
			List<Integer> keyIndexes = new ArrayList<>();
			for (String key : target.quotedKeyColumns()) {
				keyIndexes.add(target.quotedPlanColumns().indexOf(key));
			}
			StringBuilder keys = new StringBuilder(inserts.size() * 32);
			for (StoredChange change : inserts) {
				keys.append(runId).append('\t').append(afterSeq).append('\t').append(change.seq()).append("\tinsert");
				for (int index : keyIndexes) {
					appendCopyText(keys.append('\t'), layout.after(change, index));
				}
				keys.append('\n');
			}
			return new InsertCopy("COPY "
					+ target.quotedTable() + " (" + String.join(", ", target.quotedPlanColumns()) + ") FROM STDIN",
					utf8(rows),
					"COPY " + undo + " (ferry_run_id, ferry_after_seq, ferry_seq, ferry_op, "
							+ String.join(", ", target.quotedKeyColumns()) + ") FROM STDIN",
					utf8(keys), inserts.size());
		}

	}

	/**
	 * Whether a unique index (or key constraint) that is checked at once, on plain
	 * columns and for every row, lies within the key's columns: then no two rows share a
	 * key and an insert of an existing key fails.
	 */
	static boolean keyIsUnique(Connection connection, String quotedTable, List<String> keyColumns) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("""
				SELECT array_agg(a.attname::text) FROM pg_index i
				JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
				WHERE i.indrelid = CAST(? AS regclass) AND i.indisunique AND i.indimmediate AND i.indisvalid
				AND i.indpred IS NULL AND i.indexprs IS NULL
				GROUP BY i.indexrelid""")) {
			statement.setString(1, quotedTable);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					List<String> columns = List.of((String[]) rs.getArray(1).getArray());
					if (keyColumns.containsAll(columns)) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/** The COPY text as the driver sends it (its client encoding is always UTF-8). */
	private static byte[] utf8(StringBuilder text) {
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static long copy(Connection connection, String sql, byte[] rows) throws SQLException {
		try {
			return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new ByteArrayInputStream(rows));
		}
		catch (IOException ex) {
			throw new SQLException("Copying the batch failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Creates the staging table (typed like the table's plan columns, after values
	 * {@code ferry_a<i>}, before values {@code ferry_b<i>}) and copies the batch into it.
	 * The key columns' after values hold the key for every operation, so every row joins.
	 */
	private static void stage(ApplyTarget target, Connection connection, List<StoredChange> writes, Layout layout)
			throws SQLException {
		int n = target.quotedPlanColumns().size();
		List<String> select = new ArrayList<>();
		List<String> names = new ArrayList<>(List.of("ferry_seq", "ferry_op"));
		for (int i = 0; i < n; i++) {
			select.add("t." + target.quotedPlanColumns().get(i) + " AS ferry_a" + i);
			names.add("ferry_a" + i);
		}
		for (int i = 0; i < n; i++) {
			select.add("t." + target.quotedPlanColumns().get(i) + " AS ferry_b" + i);
			names.add("ferry_b" + i);
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE TEMPORARY TABLE " + STAGE + " ON COMMIT DROP AS SELECT CAST(NULL AS BIGINT) AS "
					+ "ferry_seq, CAST(NULL AS VARCHAR(10)) AS ferry_op, " + String.join(", ", select) + " FROM "
					+ target.quotedTable() + " t WHERE 1 = 0");
		}
		StringBuilder rows = new StringBuilder(writes.size() * 64);
		for (StoredChange change : writes) {
			rows.append(change.seq()).append('\t').append(change.op().code());
			for (int i = 0; i < n; i++) {
				appendCopyText(rows.append('\t'), layout.after(change, i));
			}
			for (int i = 0; i < n; i++) {
				appendCopyText(rows.append('\t'), layout.before(change, i));
			}
			rows.append('\n');
		}
		try {
			long copied = connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY " + STAGE + " (" + String.join(", ", names) + ") FROM STDIN",
						new StringReader(rows.toString()));
			if (copied != writes.size()) {
				throw new IllegalStateException(
						"Staging copied " + copied + " of the batch's " + writes.size() + " change rows.");
			}
		}
		catch (IOException ex) {
			throw new SQLException("Copying the batch into the staging table failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The staged rows whose target row is not what the dry run saw, said as the
	 * row-by-row check says it.
	 */
	private static List<String> conflicts(ApplyTarget target, Connection connection, List<StoredChange> writes,
			Layout layout, boolean hasInserts, boolean hasChanges) throws SQLException {
		Map<Long, StoredChange> bySeq = new HashMap<>();
		writes.forEach(change -> bySeq.put(change.seq(), change));
		Map<Long, String> found = new java.util.TreeMap<>();
		String join = keyJoin(target);
		String qt = target.quotedTable();
		try (Statement statement = connection.createStatement()) {
			if (hasInserts) {
				try (ResultSet rs = statement.executeQuery("SELECT s.ferry_seq FROM " + STAGE + " s JOIN " + qt
						+ " t ON " + join + " WHERE s.ferry_op = 'insert'")) {
					while (rs.next()) {
						found.put(rs.getLong(1), "the dry run found no such row, and now there is one");
					}
				}
			}
			if (hasChanges) {
				changed(target, statement, bySeq, layout, found);
			}
		}
		List<String> conflicts = new ArrayList<>();
		found.forEach((seq, what) -> conflicts.add(layout.keyText(bySeq.get(seq)) + ": " + what));
		return conflicts;
	}

	/**
	 * Locks the rows the batch updates or deletes until it commits, and finds those that
	 * are gone or differ from the dry run's before-image.
	 */
	private static void changed(ApplyTarget target, Statement statement, Map<Long, StoredChange> bySeq, Layout layout,
			Map<Long, String> found) throws SQLException {
		String join = keyJoin(target);
		String qt = target.quotedTable();
		try (ResultSet rs = statement.executeQuery("SELECT 1 FROM " + qt + " t JOIN " + STAGE + " s ON " + join
				+ " WHERE s.ferry_op <> 'insert' FOR UPDATE OF t")) {
			while (rs.next()) {
				// locking is all this reads for
			}
		}
		try (ResultSet rs = statement.executeQuery("SELECT s.ferry_seq FROM " + STAGE + " s WHERE s.ferry_op <> "
				+ "'insert' AND NOT EXISTS (SELECT 1 FROM " + qt + " t WHERE " + join + ")")) {
			while (rs.next()) {
				found.put(rs.getLong(1), "the row is gone");
			}
		}
		int n = target.quotedPlanColumns().size();
		List<String> differs = new ArrayList<>();
		List<String> values = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			differs.add("t." + target.quotedPlanColumns().get(i) + " IS DISTINCT FROM s.ferry_b" + i);
			values.add("t." + target.quotedPlanColumns().get(i));
		}
		try (ResultSet rs = statement
			.executeQuery("SELECT s.ferry_seq, " + String.join(", ", values) + " FROM " + STAGE + " s JOIN " + qt
					+ " t ON " + join + " WHERE s.ferry_op <> 'insert' AND (" + String.join(" OR ", differs) + ")")) {
			while (rs.next()) {
				long seq = rs.getLong(1);
				String difference = target.difference(new Shifted(rs), i -> layout.before(bySeq.get(seq), i));
				found.put(seq, (difference != null) ? difference : "the row differs from the dry run's");
			}
		}
	}

	private static String keyJoin(ApplyTarget target) {
		List<String> terms = new ArrayList<>();
		for (String key : target.quotedKeyColumns()) {
			int index = target.quotedPlanColumns().indexOf(key);
			terms.add("s.ferry_a" + index + " = t." + key);
		}
		return String.join(" AND ", terms);
	}

	private static long update(Connection connection, String sql, long... params) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++) {
				statement.setLong(i + 1, params[i]);
			}
			return statement.executeLargeUpdate();
		}
	}

	private static long update(Connection connection, String sql) throws SQLException {
		return update(connection, sql, new long[0]);
	}

	/** A canonical text as COPY's text format writes it: NULL as \N, escapes. */
	static void appendCopyText(StringBuilder out, String text) {
		if (text == null) {
			out.append("\\N");
			return;
		}
		for (int i = 0; i < text.length(); i++) {
			char ch = text.charAt(i);
			switch (ch) {
				case '\\' -> out.append("\\\\");
				case '\t' -> out.append("\\t");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				default -> out.append(ch);
			}
		}
	}

	/**
	 * Where a stored change row's values are for each of the target's plan columns: the
	 * change set's columns and key may be named and ordered in their own way.
	 */
	record Layout(List<String> keyNames, int[] column, int[] keyPart) {

		static Layout of(ApplyTarget target, ChangeSet changeSet) {
			int n = target.planColumns().size();
			int[] column = new int[n];
			int[] keyPart = new int[n];
			for (int i = 0; i < n; i++) {
				column[i] = indexOf(changeSet.columns().stream().map(ChangeColumn::name).toList(),
						target.planColumns().get(i));
				keyPart[i] = indexOf(changeSet.key(), target.planColumns().get(i));
				if (column[i] < 0) {
					// the apply and its dry run are of one plan version, so this means a
					// bug
					throw new IllegalStateException("The change set of dry run #" + changeSet.runId()
							+ " has no column " + target.planColumns().get(i) + ", which the plan writes.");
				}
			}
			return new Layout(changeSet.key(), column, keyPart);
		}

		private static int indexOf(List<String> names, String name) {
			for (int i = 0; i < names.size(); i++) {
				if (names.get(i).equalsIgnoreCase(name)) {
					return i;
				}
			}
			return -1;
		}

		/** The value written for plan column {@code i}: the key for key columns. */
		String after(StoredChange change, int i) {
			if (this.keyPart[i] >= 0) {
				return change.key().get(this.keyPart[i]);
			}
			return (change.after() == null || this.column[i] < 0) ? null : change.after().get(this.column[i]);
		}

		String before(StoredChange change, int i) {
			return (change.before() == null || this.column[i] < 0) ? null : change.before().get(this.column[i]);
		}

		String keyText(StoredChange change) {
			List<String> parts = new ArrayList<>();
			for (int k = 0; k < this.keyNames.size(); k++) {
				parts.add(this.keyNames.get(k) + " " + change.key().get(k));
			}
			return String.join(", ", parts);
		}

	}

	/**
	 * A result set read from its second column on, so the row-by-row check's
	 * {@code difference} reads the target's values where it expects them.
	 */
	private record Shifted(ResultSet rs) implements ApplyTarget.Row {

		@Override
		public Object getObject(int column) throws SQLException {
			return this.rs.getObject(column + 1);
		}

	}

}
