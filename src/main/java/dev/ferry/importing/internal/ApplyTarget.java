package dev.ferry.importing.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import dev.ferry.changeset.Change;
import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionKind;
import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.preflight.RowChecksum;

/**
 * The target table of an import as SQL: its quoted name, the plan's columns and key as
 * the database names them, all its columns (for the before-images), and the statements of
 * a batch.
 */
record ApplyTarget(String connection, DataSource dataSource, String table, String quotedTable, List<String> planColumns,
		List<String> quotedPlanColumns, List<ColumnRule.Type> types, List<String> keyColumns,
		List<String> quotedKeyColumns, List<ColumnRule.Type> keyTypes, List<String> quotedAllColumns,
		List<String> quotedNonKeyColumns, ImportRules rules, boolean postgres, boolean locksRows, boolean keyUnique) {

	static ApplyTarget of(String connection, DataSource dataSource, Connection c, ConnectionCatalog.Table table,
			ImportPhase phase) throws SQLException {
		ImportRules rules = ImportRules.of(phase);
		List<String> planColumns = rules.targetColumns();
		List<String> quotedPlan = new ArrayList<>();
		List<String> dbNames = new ArrayList<>();
		List<ColumnRule.Type> types = new ArrayList<>();
		for (int i = 0; i < planColumns.size(); i++) {
			String name = planColumns.get(i);
			String dbName = table.column(name)
				.map(ConnectionCatalog.Column::name)
				.orElseThrow(() -> new IllegalStateException(
						"Table " + table.name() + " on " + connection + " has no column " + name + "."));
			quotedPlan.add(ConnectionKind.quote(c, dbName));
			dbNames.add(dbName);
			types.add(rules.type(i));
		}
		List<String> quotedKey = new ArrayList<>();
		List<ColumnRule.Type> keyTypes = new ArrayList<>();
		List<String> keyDbNames = new ArrayList<>();
		for (int index : rules.keyIndexes()) {
			quotedKey.add(quotedPlan.get(index));
			keyDbNames.add(dbNames.get(index));
			keyTypes.add(types.get(index));
		}
		String quotedTable = ConnectionKind.quote(c, table.name());
		List<String> all = new ArrayList<>();
		List<String> nonKey = new ArrayList<>();
		for (String name : UndoLedger.columns(c, quotedTable)) {
			String quoted = ConnectionKind.quote(c, name);
			all.add(quoted);
			if (!quotedKey.contains(quoted)) {
				nonKey.add(quoted);
			}
		}
		boolean postgres = (ConnectionKind.of(c) == ConnectionKind.POSTGRESQL);
		return new ApplyTarget(connection, dataSource, table.name(), quotedTable, planColumns, quotedPlan, types,
				rules.keyColumns(), quotedKey, keyTypes, all, nonKey, rules, postgres,
				// SQLite has no row locks (nor FOR UPDATE): its writers take turns
				// anyway
				ConnectionKind.of(c) != ConnectionKind.SQLITE,
				postgres && StagedBatch.keyIsUnique(c, quotedTable, keyDbNames));
	}

	private String keyCondition(String alias) {
		List<String> terms = new ArrayList<>();
		for (String column : this.quotedKeyColumns) {
			terms.add((alias == null ? "" : alias + ".") + column + " = ?");
		}
		return String.join(" AND ", terms);
	}

	private String keyJoin(String left, String right) {
		List<String> terms = new ArrayList<>();
		for (String column : this.quotedKeyColumns) {
			terms.add(left + "." + column + " = " + right + "." + column);
		}
		return String.join(" AND ", terms);
	}

	/**
	 * Reads a row for the drift check and locks it, so nobody changes it between the
	 * check and the write.
	 */
	String selectSql() {
		return "SELECT " + String.join(", ", this.quotedPlanColumns) + " FROM " + this.quotedTable + " WHERE "
				+ keyCondition(null) + (this.locksRows ? " FOR UPDATE" : "");
	}

	String captureSql(String undo) {
		return "INSERT INTO " + undo + " (ferry_run_id, ferry_after_seq, ferry_seq, ferry_op, "
				+ String.join(", ", this.quotedAllColumns) + ") SELECT ?, ?, ?, ?, "
				+ String.join(", ", this.quotedAllColumns) + " FROM " + this.quotedTable + " WHERE "
				+ keyCondition(null);
	}

	String deleteSql() {
		return "DELETE FROM " + this.quotedTable + " WHERE " + keyCondition(null);
	}

	String updateSql() {
		List<String> sets = new ArrayList<>();
		for (String column : this.quotedPlanColumns) {
			if (!this.quotedKeyColumns.contains(column)) {
				sets.add(column + " = ?");
			}
		}
		if (sets.isEmpty()) {
			// a plan of key columns only has no update; a harmless statement keeps
			// the
			// batch uniform
			sets.add(this.quotedKeyColumns.get(0) + " = " + this.quotedKeyColumns.get(0));
		}
		return "UPDATE " + this.quotedTable + " SET " + String.join(", ", sets) + " WHERE " + keyCondition(null);
	}

	String insertSql() {
		return "INSERT INTO " + this.quotedTable + " (" + String.join(", ", this.quotedPlanColumns) + ") VALUES ("
				+ String.join(", ", this.quotedPlanColumns.stream().map(c -> "?").toList()) + ")";
	}

	private String batchImages(String op) {
		return "u.ferry_run_id = ? AND u.ferry_after_seq = ? AND u.ferry_op = '" + op + "'";
	}

	/** PostgreSQL: deletes the rows the batch inserted, joined by key. */
	String undoInsertsSql(String undo) {
		return "DELETE FROM " + this.quotedTable + " t USING " + undo + " u WHERE " + batchImages("insert") + " AND "
				+ keyJoin("u", "t");
	}

	/**
	 * PostgreSQL: restores every column but the key of the rows the batch updated; null
	 * when the table has no other column.
	 */
	String undoUpdatesSql(String undo) {
		if (this.quotedNonKeyColumns.isEmpty()) {
			return null;
		}
		List<String> sets = this.quotedNonKeyColumns.stream().map(c -> c + " = u." + c).toList();
		return "UPDATE " + this.quotedTable + " t SET " + String.join(", ", sets) + " FROM " + undo + " u WHERE "
				+ batchImages("update") + " AND " + keyJoin("u", "t");
	}

	/**
	 * Undoes the batch's inserts (deletes them) or updates (restores every column but the
	 * key) one row at a time, in JDBC batches, with the values of the before-images in
	 * the table's own types.
	 * @return the rows undone
	 */
	int undoRowByRow(Connection connection, String undo, long applyRun, long afterSeq, String op) throws SQLException {
		boolean update = op.equals("update");
		if (update && this.quotedNonKeyColumns.isEmpty()) {
			return 0;
		}
		List<String> read = new ArrayList<>(update ? this.quotedNonKeyColumns : List.of());
		read.addAll(this.quotedKeyColumns);
		String write = update ? "UPDATE " + this.quotedTable + " SET "
				+ String.join(", ", this.quotedNonKeyColumns.stream().map(c -> c + " = ?").toList()) + " WHERE "
				+ keyCondition(null) : "DELETE FROM " + this.quotedTable + " WHERE " + keyCondition(null);
		int undone = 0;
		try (PreparedStatement images = connection
			.prepareStatement("SELECT " + String.join(", ", read.stream().map(c -> "u." + c).toList()) + " FROM " + undo
					+ " u WHERE " + batchImages(op));
				PreparedStatement statement = connection.prepareStatement(write)) {
			images.setLong(1, applyRun);
			images.setLong(2, afterSeq);
			images.setFetchSize(1000);
			try (ResultSet rs = images.executeQuery()) {
				while (rs.next()) {
					for (int i = 1; i <= read.size(); i++) {
						statement.setObject(i, rs.getObject(i));
					}
					statement.addBatch();
					undone++;
				}
			}
			int[] counts = statement.executeBatch();
			int changed = 0;
			for (int count : counts) {
				changed += (count == Statement.SUCCESS_NO_INFO) ? 1 : count;
			}
			return Math.min(undone, changed);
		}
	}

	String undoDeletesSql(String undo) {
		List<String> source = this.quotedAllColumns.stream().map(c -> "u." + c).toList();
		return "INSERT INTO " + this.quotedTable + " (" + String.join(", ", this.quotedAllColumns) + ") SELECT "
				+ String.join(", ", source) + " FROM " + undo
				+ " u WHERE u.ferry_run_id = ? AND u.ferry_after_seq = ? AND u.ferry_op = 'delete'";
	}

	void bindCapture(PreparedStatement capture, long runId, long afterSeq, Change change) throws SQLException {
		capture.setLong(1, runId);
		capture.setLong(2, afterSeq);
		capture.setLong(3, change.seq());
		capture.setString(4, change.op().code());
		bindKey(capture, 5, change.key());
	}

	/** Binds the key values from {@code first} on; returns the next index. */
	int bindKey(PreparedStatement statement, int first, Map<String, Object> key) throws SQLException {
		int index = first;
		for (int k = 0; k < this.keyColumns.size(); k++) {
			bind(statement, index++, key.get(this.keyColumns.get(k)), this.keyTypes.get(k));
		}
		return index;
	}

	void bindUpdate(PreparedStatement update, Change change) throws SQLException {
		int index = 1;
		for (int i = 0; i < this.planColumns.size(); i++) {
			if (!this.quotedKeyColumns.contains(this.quotedPlanColumns.get(i))) {
				bind(update, index++, change.after().get(this.planColumns.get(i)), this.types.get(i));
			}
		}
		bindKey(update, index, change.key());
	}

	void bindInsert(PreparedStatement insert, Change change) throws SQLException {
		for (int i = 0; i < this.planColumns.size(); i++) {
			bind(insert, i + 1, change.after().get(this.planColumns.get(i)), this.types.get(i));
		}
	}

	/**
	 * How the target row differs from the dry run's before-image in the plan's columns,
	 * or null when it does not.
	 */
	String difference(Row row, Map<String, Object> before) throws SQLException {
		return difference(row, i -> {
			Object then = before.get(this.planColumns.get(i));
			return (then == null) ? null : ImportRules.text(then);
		});
	}

	/**
	 * How the target row differs from a before-image given as the canonical text of each
	 * plan column, or null when it does not.
	 */
	String difference(Row row, java.util.function.IntFunction<String> before) throws SQLException {
		for (int i = 0; i < this.planColumns.size(); i++) {
			String now = ImportRules.text(this.rules.fromTarget(i, row.getObject(i + 1)));
			String was = before.apply(i);
			if (!Objects.equals(now, was)) {
				return this.planColumns.get(i) + " was " + shown(was) + " in the dry run, is " + shown(now) + " now";
			}
		}
		return null;
	}

	private static String shown(String value) {
		return value == null ? "NULL" : '"' + value + '"';
	}

	/**
	 * A change-set value (typed as the change set serves it) as the column's type.
	 */
	static void bind(PreparedStatement statement, int index, Object value, ColumnRule.Type type) throws SQLException {
		if (value == null) {
			statement.setNull(index, switch (type) {
				case INTEGER -> Types.BIGINT;
				case DECIMAL -> Types.NUMERIC;
				case BOOLEAN -> Types.BOOLEAN;
				case DATE -> Types.DATE;
				case TIMESTAMP -> Types.TIMESTAMP;
				case STRING -> Types.VARCHAR;
			});
			return;
		}
		switch (type) {
			case INTEGER -> {
				if (value instanceof Long number) {
					statement.setLong(index, number);
				}
				else if (value instanceof BigInteger number) {
					statement.setBigDecimal(index, new BigDecimal(number));
				}
				else {
					statement.setBigDecimal(index, new BigDecimal(value.toString()));
				}
			}
			case DECIMAL -> statement.setBigDecimal(index,
					(value instanceof BigDecimal number) ? number : new BigDecimal(value.toString()));
			case BOOLEAN -> statement.setBoolean(index,
					(value instanceof Boolean flag) ? flag : Boolean.parseBoolean(value.toString()));
			case DATE -> statement.setObject(index, LocalDate.parse(value.toString()));
			case TIMESTAMP -> statement.setObject(index, LocalDateTime.parse(value.toString()));
			case STRING -> statement.setString(index, value.toString());
		}
	}

	/**
	 * The table's order-independent checksum, to compare with the one taken right before
	 * an apply: on PostgreSQL 11 and later computed in the database
	 * ({@link #POSTGRES_CHECKSUM}), otherwise streamed through {@link RowChecksum}.
	 */
	String checksum(Connection connection) throws SQLException {
		return checksum(connection, null);
	}

	/**
	 * Marks a checksum computed by PostgreSQL: {@code pg1:<rows>:<sum of row hashes>}.
	 */
	static final String POSTGRES_CHECKSUM = "pg1:";

	/**
	 * The table's checksum the way {@code like} was taken (the same method, so a checksum
	 * from before this method existed is compared with its like), or the best way when
	 * {@code like} is null.
	 */
	String checksum(Connection connection, String like) throws SQLException {
		boolean inDatabase = (like == null) ? this.postgres && connection.getMetaData().getDatabaseMajorVersion() >= 11
				: like.startsWith(POSTGRES_CHECKSUM);
		return inDatabase ? postgresChecksum(connection) : streamedChecksum(connection);
	}

	/**
	 * PostgreSQL sums a 64-bit hash of each row's text (and counts the rows), in one
	 * statement, instead of sending every row to Ferry: about a tenth of the time for a
	 * table of a million rows. The row's text depends on the session's settings for
	 * dates, time zones, floats and bytes, so they are fixed for the statement.
	 */
	private String postgresChecksum(Connection connection) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement()) {
			statement.execute("SET LOCAL TimeZone = 'UTC'");
			statement.execute("SET LOCAL DateStyle = 'ISO, YMD'");
			statement.execute("SET LOCAL IntervalStyle = 'postgres'");
			statement.execute("SET LOCAL extra_float_digits = 3");
			statement.execute("SET LOCAL bytea_output = 'hex'");
			try (ResultSet rs = statement
				.executeQuery("SELECT count(*), COALESCE(sum(hashtextextended(CAST(t AS text), " + "0)), 0) FROM "
						+ this.quotedTable + " t")) {
				rs.next();
				return POSTGRES_CHECKSUM + rs.getLong(1) + ":" + rs.getBigDecimal(2).toPlainString();
			}
		}
		finally {
			// in the caller's transaction the settings last until it ends: they only
			// change how values are written as text
			if (autoCommit) {
				connection.commit();
				connection.setAutoCommit(true);
			}
		}
	}

	/**
	 * The table's order-independent checksum, streamed: PostgreSQL's driver streams only
	 * with a fetch size inside a transaction, so the read runs in one (and leaves the
	 * connection's transaction mode as it found it).
	 */
	private String streamedChecksum(Connection connection) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY,
				ResultSet.CONCUR_READ_ONLY)) {
			statement.setFetchSize(ImportReaders.FETCH_SIZE);
			try (ResultSet rs = statement.executeQuery("SELECT * FROM " + this.quotedTable)) {
				int[] order = RowChecksum.columnOrder(rs.getMetaData());
				RowChecksum checksum = new RowChecksum();
				while (rs.next()) {
					checksum.add(rs, order);
				}
				return checksum.unordered();
			}
		}
		finally {
			if (autoCommit) {
				connection.commit();
				connection.setAutoCommit(true);
			}
		}
	}

	/** A key as words: {@code column value, ...}. */
	static String keyText(Map<String, Object> key) {
		List<String> parts = new ArrayList<>();
		key.forEach((column, value) -> parts.add(column + " " + value));
		return String.join(", ", parts);
	}

	/** The values of a target row read by the plan's columns, from 1. */
	@FunctionalInterface
	interface Row {

		Object getObject(int column) throws SQLException;

	}

}
