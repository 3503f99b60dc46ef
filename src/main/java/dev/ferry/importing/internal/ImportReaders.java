package dev.ferry.importing.internal;

import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.ferry.connection.ReadingConnection;
import dev.ferry.connection.ConnectionKind;
import dev.ferry.importing.SourceRows;
import dev.ferry.importing.internal.ImportItems.ItemStream;
import dev.ferry.importing.internal.ImportItems.SourceItem;
import dev.ferry.importing.internal.ImportItems.TargetItem;

/**
 * Streams the two sides of an import: forward-only, read-only cursors with a fetch size,
 * so memory does not grow with the tables.
 */
final class ImportReaders {

	static final int FETCH_SIZE = 2000;

	private ImportReaders() {
	}

	/** Opens a forward-only cursor on a reading connection. */
	static ResultSet open(Connection connection, String sql) throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
				ResultSet.CONCUR_READ_ONLY);
		try {
			statement.setFetchSize(FETCH_SIZE);
			return statement.executeQuery();
		}
		catch (SQLException | RuntimeException ex) {
			statement.close();
			throw ex;
		}
	}

	static void close(ResultSet rs, Connection connection) {
		if (rs != null) {
			try {
				rs.getStatement().close();
			}
			catch (SQLException ex) {
				// the connection's rollback and close below free it anyway
			}
		}
		ReadingConnection.release(connection);
	}

	/**
	 * The source's rows as read: the values of the columns the rules read, in the rules'
	 * order, each row a new array. No rule is applied here, so that reading (the driver's
	 * work) and {@link Source} (the rules') can run on two threads.
	 */
	static final class SourceValues implements ItemStream<Object[]> {

		private final SourceRows.Cursor cursor;

		private final int[] columnIndexes;

		/**
		 * @param cursor the rows, closed with this stream (or now, if it cannot start)
		 * @param returned the columns of the rows
		 */
		SourceValues(SourceRows.Cursor cursor, List<SourceRows.Column> returned, ImportRules rules) {
			this.cursor = cursor;
			try {
				List<String> wanted = rules.sourceColumns();
				this.columnIndexes = new int[wanted.size()];
				for (int i = 0; i < wanted.size(); i++) {
					int index = ImportSql.column(returned, wanted.get(i));
					if (index < 0) {
						throw new IllegalStateException("The source query returns no column " + wanted.get(i)
								+ ", which the import's rules read; it returns " + ImportSql.names(returned) + ".");
					}
					this.columnIndexes[i] = index;
				}
			}
			catch (RuntimeException ex) {
				cursor.close();
				throw ex;
			}
		}

		@Override
		public Object[] next() {
			try {
				if (!this.cursor.next()) {
					return null;
				}
				Object[] values = new Object[this.columnIndexes.length];
				for (int i = 0; i < values.length; i++) {
					Object value = this.cursor.get(this.columnIndexes[i]);
					// a CLOB is read here, on the thread of its connection and row
					values[i] = (value instanceof Clob) ? ValueConversions.textOf(value) : value;
				}
				return values;
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Reading the source failed: " + ex.getMessage(), ex);
			}
		}

		@Override
		public void close() {
			this.cursor.close();
		}

	}

	/**
	 * The source's rows with the rules applied, in the order they come.
	 */
	static final class Source implements ItemStream<SourceItem> {

		private final ImportRules rules;

		private final ItemStream<Object[]> rows;

		private final int[] keyIndexes;

		private long ordinal;

		/**
		 * @param rows the rows as read ({@link SourceValues}, or a {@link ReadAhead} of
		 * them), closed with this stream
		 */
		Source(ItemStream<Object[]> rows, ImportRules rules) {
			this.rules = rules;
			this.keyIndexes = rules.keyIndexes();
			this.rows = rows;
		}

		@Override
		public SourceItem next() {
			Object[] values = this.rows.next();
			if (values == null) {
				return null;
			}
			ImportRules.Outcome outcome = this.rules.apply(i -> values[i]);
			return item(++this.ordinal, outcome, this.keyIndexes);
		}

		@Override
		public void close() {
			this.rows.close();
		}

	}

	static SourceItem item(long ordinal, ImportRules.Outcome outcome, int[] keyIndexes) {
		Object[] values = outcome.values();
		Object[] key = new Object[keyIndexes.length];
		for (int k = 0; k < keyIndexes.length; k++) {
			key[k] = values[keyIndexes[k]];
			if (key[k] == null) {
				key = null;
				break;
			}
		}
		return new SourceItem(ordinal, values, key, outcome.rejections());
	}

	/**
	 * The target table's rows in key order. Rows whose key has a NULL can match nothing
	 * and are passed over (and counted).
	 */
	static final class Target implements ItemStream<TargetItem> {

		private final ImportRules rules;

		private final Connection connection;

		private final ResultSet rs;

		private final int[] keyIndexes;

		private final int columns;

		private long withoutKey;

		Target(DataSource dataSource, String sql, ImportRules rules) throws SQLException {
			this.rules = rules;
			this.keyIndexes = rules.keyIndexes();
			this.columns = rules.targetColumns().size();
			Connection connection = ReadingConnection.open(dataSource);
			try {
				this.rs = open(connection, sql);
			}
			catch (SQLException | RuntimeException ex) {
				ReadingConnection.release(connection);
				throw ex;
			}
			this.connection = connection;
		}

		@Override
		public TargetItem next() {
			try {
				while (this.rs.next()) {
					Object[] values = new Object[this.columns];
					for (int i = 0; i < this.columns; i++) {
						values[i] = this.rules.fromTarget(i, this.rs.getObject(i + 1));
					}
					Object[] key = new Object[this.keyIndexes.length];
					boolean complete = true;
					for (int k = 0; k < this.keyIndexes.length; k++) {
						key[k] = values[this.keyIndexes[k]];
						complete &= key[k] != null;
					}
					if (complete) {
						return new TargetItem(values, key);
					}
					this.withoutKey++;
				}
				return null;
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Reading the target failed: " + ex.getMessage(), ex);
			}
		}

		long withoutKey() {
			return this.withoutKey;
		}

		@Override
		public void close() {
			ImportReaders.close(this.rs, this.connection);
		}

	}

	/** The target's SELECT: the plan's columns, ordered by the key. */
	static String targetQuery(Connection connection, String table, List<String> columns, int[] keyIndexes,
			List<SourceRows.Column> types) throws SQLException {
		List<String> quoted = new ArrayList<>();
		for (String column : columns) {
			quoted.add(ConnectionKind.quote(connection, column));
		}
		List<String> order = new ArrayList<>();
		for (int index : keyIndexes) {
			order.add(ConnectionKind.of(connection).orderTerm(quoted.get(index), types.get(index).jdbcType()));
		}
		return "SELECT " + String.join(", ", quoted) + " FROM " + ConnectionKind.quote(connection, table) + " ORDER BY "
				+ String.join(", ", order);
	}

}
