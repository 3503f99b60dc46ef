package dev.ferry.importing.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.importing.SourceRows.Column;

/**
 * The SQL an import reads with: the source query wrapped so it can be ordered or counted,
 * and the columns a query returns. Quoting and the order of text are the connection's
 * ({@link dev.ferry.connection.ConnectionKind}).
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
			columns.add(new Column(meta.getColumnLabel(i), meta.getColumnType(i)));
		}
		return columns;
	}

	/**
	 * The position (from 0) of the column named so, ignoring case (H2 upper-cases,
	 * PostgreSQL lower-cases), or -1.
	 */
	static int column(List<Column> columns, String name) {
		for (int i = 0; i < columns.size(); i++) {
			if (columns.get(i).name().equals(name)) {
				return i;
			}
		}
		for (int i = 0; i < columns.size(); i++) {
			if (columns.get(i).name().equalsIgnoreCase(name)) {
				return i;
			}
		}
		return -1;
	}

	static String names(List<Column> columns) {
		return String.join(", ", columns.stream().map(Column::name).toList());
	}

}
