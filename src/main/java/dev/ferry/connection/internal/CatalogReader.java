package dev.ferry.connection.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionCheck.TableRows;
import dev.ferry.connection.ConnectionKind;

/**
 * Reads a connection's user tables (not the database's own) from JDBC metadata: names,
 * columns, primary keys, and row counts with a short timeout each.
 */
final class CatalogReader {

	static final int MAX_TABLES = 500;

	private static final int COUNT_TIMEOUT_SECONDS = 10;

	private CatalogReader() {
	}

	static ConnectionCatalog catalog(Connection connection, ConnectionKind kind) throws SQLException {
		DatabaseMetaData meta = connection.getMetaData();
		Map<String, ConnectionCatalog.Table> tables = new LinkedHashMap<>();
		for (TableName table : tableNames(connection, kind)) {
			List<ConnectionCatalog.Column> columns = new ArrayList<>();
			try (ResultSet rs = meta.getColumns(null, table.schema(), table.name(), null)) {
				while (rs.next()) {
					columns.add(new ConnectionCatalog.Column(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"),
							rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
				}
			}
			List<String> primaryKey = new ArrayList<>();
			Map<Short, String> byPosition = new java.util.TreeMap<>();
			try (ResultSet rs = meta.getPrimaryKeys(null, table.schema(), table.name())) {
				while (rs.next()) {
					byPosition.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
				}
			}
			primaryKey.addAll(byPosition.values());
			tables.put(table.name(),
					new ConnectionCatalog.Table(table.name(), List.copyOf(columns), List.copyOf(primaryKey)));
		}
		return new ConnectionCatalog(tables);
	}

	static List<TableRows> rowCounts(Connection connection, ConnectionKind kind) throws SQLException {
		List<TableRows> rows = new ArrayList<>();
		for (TableName table : tableNames(connection, kind)) {
			rows.add(new TableRows(table.name(), count(connection, kind, table)));
		}
		return rows;
	}

	/** The rows of one table, found by its name ignoring case. */
	static java.util.OptionalLong rowCount(Connection connection, ConnectionKind kind, String table)
			throws SQLException {
		List<TableName> names = tableNames(connection, kind);
		TableName found = names.stream()
			.filter(n -> n.name().equals(table))
			.findFirst()
			.or(() -> names.stream().filter(n -> n.name().equalsIgnoreCase(table)).findFirst())
			.orElse(null);
		if (found == null) {
			return java.util.OptionalLong.empty();
		}
		Long rows = count(connection, kind, found);
		return rows == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(rows);
	}

	private static Long count(Connection connection, ConnectionKind kind, TableName table) throws SQLException {
		String name = (table.schema() == null ? "" : kind.quote(table.schema()) + ".") + kind.quote(table.name());
		try (Statement statement = connection.createStatement()) {
			statement.setQueryTimeout(COUNT_TIMEOUT_SECONDS);
			try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + name)) {
				rs.next();
				return rs.getLong(1);
			}
		}
		catch (SQLTimeoutException ex) {
			return null;
		}
	}

	private static List<TableName> tableNames(Connection connection, ConnectionKind kind) throws SQLException {
		DatabaseMetaData meta = connection.getMetaData();
		String schema = switch (kind) {
			case POSTGRESQL -> connection.getSchema();
			case H2 -> connection.getSchema();
			case SQLITE -> null;
		};
		List<TableName> names = new ArrayList<>();
		try (ResultSet rs = meta.getTables(null, schema, "%", new String[] { "TABLE" })) {
			while (rs.next() && names.size() < MAX_TABLES) {
				String name = rs.getString("TABLE_NAME");
				if (kind == ConnectionKind.SQLITE && name.toLowerCase(Locale.ROOT).startsWith("sqlite_")) {
					continue;
				}
				names.add(new TableName(kind == ConnectionKind.SQLITE ? null : rs.getString("TABLE_SCHEM"), name));
			}
		}
		names.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
		return names;
	}

	record TableName(String schema, String name) {
	}

}
