package dev.ferry.run.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.connection.ConnectionKind;

/**
 * The SQL an import reads with: the source query wrapped so it can be ordered or counted,
 * identifiers quoted with the connection's quoting, and the byte-wise collation on
 * PostgreSQL so that text keys come in code point order, the order Ferry merges by.
 */
final class ImportSql {

	private ImportSql() {
	}

	/**
	 * The source query as a derived table. The closing parenthesis is on its own line so
	 * that a trailing line comment in the query cannot swallow it.
	 */
	static String derived(String query) {
		String body = query.strip();
		while (body.endsWith(";")) {
			body = body.substring(0, body.length() - 1).strip();
		}
		return "(\n" + body + "\n) ferry_source";
	}

	/** An ORDER BY term for a column of the given JDBC type. */
	static String orderTerm(Connection connection, String quotedColumn, int jdbcType) throws SQLException {
		if (text(jdbcType) && ConnectionKind.of(connection) == ConnectionKind.POSTGRESQL) {
			return quotedColumn + " COLLATE \"C\"";
		}
		return quotedColumn;
	}

	static boolean text(int jdbcType) {
		return switch (jdbcType) {
			case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
					Types.CLOB, Types.NCLOB ->
				true;
			default -> false;
		};
	}

	static boolean numeric(int jdbcType) {
		return switch (jdbcType) {
			case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.NUMERIC, Types.DECIMAL, Types.REAL,
					Types.FLOAT, Types.DOUBLE ->
				true;
			default -> false;
		};
	}

	/**
	 * The columns a query returns, as the database labels them, with their JDBC types.
	 */
	static List<Column> columns(Connection connection, String sql) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			ResultSetMetaData meta = statement.getMetaData();
			if (meta == null) {
				try (ResultSet rs = statement.executeQuery()) {
					return columns(rs.getMetaData());
				}
			}
			return columns(meta);
		}
	}

	static List<Column> columns(ResultSetMetaData meta) throws SQLException {
		List<Column> columns = new ArrayList<>();
		for (int i = 1; i <= meta.getColumnCount(); i++) {
			columns.add(new Column(meta.getColumnLabel(i), meta.getColumnType(i), i));
		}
		return columns;
	}

	/** The column named so, ignoring case (H2 upper-cases, PostgreSQL lower-cases). */
	static Column column(List<Column> columns, String name) {
		for (Column column : columns) {
			if (column.name().equals(name)) {
				return column;
			}
		}
		for (Column column : columns) {
			if (column.name().equalsIgnoreCase(name)) {
				return column;
			}
		}
		return null;
	}

	static String names(List<Column> columns) {
		return String.join(", ", columns.stream().map(Column::name).toList());
	}

	/**
	 * Opens a connection for reading only: outside auto-commit (PostgreSQL streams with a
	 * cursor only then) and read-only where the driver can still be told so.
	 */
	static Connection openForReading(javax.sql.DataSource dataSource) throws SQLException {
		Connection connection = dataSource.getConnection();
		try {
			connection.setAutoCommit(false);
			if (ConnectionKind.of(connection) != ConnectionKind.SQLITE) {
				// SQLite fixes read-only when it opens the file; the others take it per
				// transaction
				connection.setReadOnly(true);
			}
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	/** Ends a reading connection: rolls back (nothing was written) and returns it. */
	static void release(Connection connection) {
		if (connection == null) {
			return;
		}
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			// the connection is returned anyway; the pool discards a broken one
		}
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// nothing more to free
		}
	}

	record Column(String name, int jdbcType, int index) {
	}

}
