package dev.ferry.connection;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Optional;

/**
 * The databases Ferry can read and write, recognised from the JDBC URL's scheme or an
 * open connection, and how SQL built from plan identifiers quotes them on each: the one
 * place that knows which database it talks to.
 */
public enum ConnectionKind {

	POSTGRESQL("jdbc:postgresql:", "PostgreSQL"), H2("jdbc:h2:", "H2"), SQLITE("jdbc:sqlite:", "SQLite");

	private final String prefix;

	private final String label;

	ConnectionKind(String prefix, String label) {
		this.prefix = prefix;
		this.label = label;
	}

	public String label() {
		return this.label;
	}

	/**
	 * An identifier quoted for this database: all three quote with double quotes and
	 * write a double quote inside a name twice.
	 */
	public String quote(String identifier) {
		return '"' + identifier.replace("\"", "\"\"") + '"';
	}

	/**
	 * An ORDER BY term for a column of the given JDBC type that puts text in code point
	 * order, the order Ferry merges by: PostgreSQL's collations do not, so its text is
	 * ordered {@code COLLATE "C"}.
	 */
	public String orderTerm(String quotedColumn, int jdbcType) {
		return (this == POSTGRESQL && text(jdbcType)) ? quotedColumn + " COLLATE \"C\"" : quotedColumn;
	}

	/** Whether a JDBC type holds text. */
	public static boolean text(int jdbcType) {
		return switch (jdbcType) {
			case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
					Types.CLOB, Types.NCLOB ->
				true;
			default -> false;
		};
	}

	/** The kind of database an open connection talks to, from its product name. */
	public static ConnectionKind of(Connection connection) throws SQLException {
		String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
		for (ConnectionKind kind : values()) {
			if (product.contains(kind.label.toLowerCase(Locale.ROOT))) {
				return kind;
			}
		}
		throw new SQLException("Ferry does not know the database " + product + ".");
	}

	/** An identifier quoted as the database of an open connection quotes it. */
	public static String quote(Connection connection, String identifier) throws SQLException {
		return of(connection).quote(identifier);
	}

	/**
	 * Whether a table of Ferry's own (a ledger) exists on an open connection: by its name
	 * as written, or upper-cased as H2 keeps unquoted names.
	 */
	public static boolean hasTable(Connection connection, String table) throws SQLException {
		DatabaseMetaData meta = connection.getMetaData();
		for (String name : new String[] { table, table.toUpperCase(Locale.ROOT) }) {
			try (ResultSet rs = meta.getTables(connection.getCatalog(), null, name, new String[] { "TABLE" })) {
				if (rs.next()) {
					return true;
				}
			}
		}
		return false;
	}

	public static Optional<ConnectionKind> of(String jdbcUrl) {
		if (jdbcUrl == null) {
			return Optional.empty();
		}
		String url = jdbcUrl.trim().toLowerCase(Locale.ROOT);
		for (ConnectionKind kind : values()) {
			if (url.startsWith(kind.prefix)) {
				return Optional.of(kind);
			}
		}
		return Optional.empty();
	}

}
