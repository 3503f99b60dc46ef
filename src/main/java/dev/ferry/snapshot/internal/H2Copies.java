package dev.ferry.snapshot.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

import dev.ferry.connection.ConnectionKind;

/**
 * The H2 database files Ferry writes a snapshot's H2 tables into. Ferry creates each one
 * and is its admin ({@link #OWNER}, no password: the file lies in Ferry's data directory,
 * whose readers can read its bytes anyway); it also has {@link #READER}, a login without
 * the admin right and with only {@code SELECT}, which a read-only connection for a
 * restore uses (Ferry's connections never log in as an H2 admin).
 */
final class H2Copies {

	static final String SUFFIX = ".mv.db";

	static final String OWNER = "FERRY_SNAPSHOT";

	static final String READER = "SNAPSHOT_READER";

	/** Types whose precision {@code CREATE TABLE} must repeat. */
	private static final Set<String> SIZED = Set.of("CHARACTER", "CHARACTER VARYING", "VARCHAR", "CHAR", "BINARY",
			"BINARY VARYING", "VARBINARY", "VARCHAR_IGNORECASE");

	private static final Set<String> SCALED = Set.of("NUMERIC", "DECIMAL");

	private H2Copies() {
	}

	/** The JDBC URL of the copy at {@code base} (without {@link #SUFFIX}). */
	static String url(Path base) {
		return "jdbc:h2:file:" + base.toAbsolutePath();
	}

	/** Opens (creating on first use) the copy at {@code base} as its owner. */
	static Connection open(Path base) throws SQLException {
		Connection connection = DriverManager.getConnection(url(base), OWNER, "");
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE USER IF NOT EXISTS " + READER + " PASSWORD ''");
			statement.execute("GRANT SELECT ON SCHEMA PUBLIC TO " + READER);
			return connection;
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
	}

	/**
	 * The {@code CREATE TABLE} of a copy: the columns with the types the live table's
	 * rows came with, and its primary key. A type this loses would make the copy's
	 * checksum differ, which fails the snapshot rather than keep a wrong copy.
	 */
	static String createTable(String quotedTable, ResultSetMetaData meta, List<String> primaryKey) throws SQLException {
		StringJoiner columns = new StringJoiner(", ", "CREATE TABLE " + quotedTable + " (", ")");
		for (int i = 1; i <= meta.getColumnCount(); i++) {
			String type = meta.getColumnTypeName(i).toUpperCase(Locale.ROOT);
			int precision = meta.getPrecision(i);
			if (SIZED.contains(type) && precision > 0) {
				type += "(" + precision + ")";
			}
			else if (SCALED.contains(type) && precision > 0) {
				type += "(" + precision + ", " + meta.getScale(i) + ")";
			}
			columns.add(ConnectionKind.H2.quote(meta.getColumnName(i)) + " " + type
					+ (meta.isNullable(i) == ResultSetMetaData.columnNoNulls ? " NOT NULL" : ""));
		}
		if (!primaryKey.isEmpty()) {
			StringJoiner key = new StringJoiner(", ", "PRIMARY KEY (", ")");
			primaryKey.forEach(column -> key.add(ConnectionKind.H2.quote(column)));
			columns.add(key.toString());
		}
		return columns.toString();
	}

}
