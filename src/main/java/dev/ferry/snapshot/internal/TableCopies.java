package dev.ferry.snapshot.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.sql.DataSource;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionService;
import dev.ferry.connection.ReadingConnection;
import dev.ferry.preflight.RowChecksum;

import org.postgresql.PGConnection;

import org.springframework.stereotype.Component;

/**
 * Copies tables into a snapshot's folder, one way per database, and checks every copy
 * against the live table: the rows and the order-independent checksum of
 * {@link RowChecksum} (the preflight's), of the copy read back from the file and of the
 * live table as it was copied.
 * <ul>
 * <li><b>SQLite</b>: {@code VACUUM INTO} a file (a consistent copy of the whole
 * database), from which every table not asked for is dropped. The live table is read
 * after the copy: when it changed in between, the copy is taken again (three times at
 * most).</li>
 * <li><b>H2</b>: its {@code SCRIPT} and {@code BACKUP} commands need the admin right,
 * which Ferry never logs in with (an H2 admin's SQL runs on the Ferry host). The table is
 * read once through Ferry's own login and written into an H2 database file Ferry creates;
 * the live checksum is taken from the rows as they are read, so it is the table exactly
 * as copied.</li>
 * <li><b>PostgreSQL</b>: in one {@code REPEATABLE READ} read-only transaction, the live
 * checksum and {@code COPY (SELECT * FROM t) TO STDOUT} into a gzip file, both of the
 * same snapshot of the database; no file on the server, no superuser. The copy is checked
 * by loading it with {@code COPY … FROM STDIN} into a temporary table in a transaction
 * that is rolled back.</li>
 * </ul>
 */
@Component
class TableCopies {

	static final int FETCH_SIZE = 1000;

	private static final int INSERT_BATCH = 1000;

	private static final int SQLITE_ATTEMPTS = 3;

	/** A name H2 and SQLite files may carry: letters, digits, dot, dash, underscore. */
	static String fileSafe(String name) {
		String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
		return safe.startsWith(".") ? "_" + safe : safe;
	}

	/**
	 * One table copied.
	 *
	 * @param file the file name in the snapshot's folder
	 */
	record Copied(String table, String file, long rows, String checksum, String liveChecksum, String columns) {

		boolean matches() {
			return this.checksum.equals(this.liveChecksum);
		}

	}

	private final ConnectionService connections;

	TableCopies(ConnectionService connections) {
		this.connections = connections;
	}

	/**
	 * Copies tables of one SQLite connection into {@code <connection>.sqlite}.
	 * @param tables their names as the database spells them
	 */
	List<Copied> sqlite(String connection, List<String> tables, Path folder) throws SQLException, IOException {
		String name = fileSafe(connection) + ".sqlite";
		Path file = folder.resolve(name);
		List<Copied> copies = List.of();
		for (int attempt = 1; attempt <= SQLITE_ATTEMPTS; attempt++) {
			Files.deleteIfExists(file);
			this.connections.copySqlite(connection, file);
			copies = new ArrayList<>();
			try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
				keepOnly(copy, tables);
				for (String table : tables) {
					copies.add(new Copied(table, name, 0, checksum(copy, ConnectionKind.SQLITE, table), null, null));
				}
			}
			DataSource live = this.connections.dataSource(connection);
			Connection reading = ReadingConnection.open(live);
			try {
				List<Copied> compared = new ArrayList<>();
				for (Copied copied : copies) {
					String liveChecksum = checksum(reading, ConnectionKind.SQLITE, copied.table());
					compared.add(new Copied(copied.table(), name, rows(copied.checksum()), copied.checksum(),
							liveChecksum, null));
				}
				copies = compared;
			}
			finally {
				ReadingConnection.release(reading);
			}
			if (copies.stream().allMatch(Copied::matches)) {
				return copies;
			}
		}
		return copies;
	}

	/** Drops from a SQLite copy every view, trigger and table not asked for. */
	private static void keepOnly(Connection copy, List<String> tables) throws SQLException {
		Set<String> keep = new HashSet<>();
		tables.forEach(table -> keep.add(table.toLowerCase(Locale.ROOT)));
		List<String[]> drops = new ArrayList<>();
		try (Statement statement = copy.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger', 'table') "
							+ "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type DESC")) {
			while (rs.next()) {
				String type = rs.getString(1);
				String object = rs.getString(2);
				if (!type.equals("table") || !keep.contains(object.toLowerCase(Locale.ROOT))) {
					drops.add(new String[] { type, object });
				}
			}
		}
		try (Statement statement = copy.createStatement()) {
			for (String[] drop : drops) {
				statement.execute("DROP " + drop[0].toUpperCase(Locale.ROOT) + " IF EXISTS "
						+ ConnectionKind.SQLITE.quote(drop[1]));
			}
			if (!drops.isEmpty()) {
				statement.execute("VACUUM");
			}
		}
	}

	/**
	 * Copies one table of an H2 connection into the H2 database {@code <connection>} of
	 * the folder (created on first use), replacing an earlier copy of it there.
	 * @param primaryKey the table's primary key columns, kept on the copy
	 */
	Copied h2(String connection, String table, List<String> primaryKey, Path folder) throws SQLException {
		Path base = folder.resolve(fileSafe(connection));
		String quoted = ConnectionKind.H2.quote(table);
		Connection reading = ReadingConnection.open(this.connections.dataSource(connection));
		try (Connection copy = H2Copies.open(base)) {
			RowChecksum live = new RowChecksum();
			try (PreparedStatement select = reading.prepareStatement("SELECT * FROM " + quoted,
					ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
				select.setFetchSize(FETCH_SIZE);
				try (ResultSet rs = select.executeQuery()) {
					ResultSetMetaData meta = rs.getMetaData();
					int[] order = RowChecksum.columnOrder(meta);
					try (Statement ddl = copy.createStatement()) {
						ddl.execute("DROP TABLE IF EXISTS " + quoted);
						ddl.execute(H2Copies.createTable(quoted, meta, primaryKey));
					}
					insertAll(rs, meta.getColumnCount(), copy, quoted, live, order);
				}
			}
			String checksum = checksum(copy, ConnectionKind.H2, table);
			return new Copied(table, base.getFileName() + H2Copies.SUFFIX, rows(checksum), checksum, live.unordered(),
					null);
		}
		finally {
			ReadingConnection.release(reading);
		}
	}

	private static void insertAll(ResultSet rs, int columns, Connection copy, String quoted, RowChecksum live,
			int[] order) throws SQLException {
		StringJoiner marks = new StringJoiner(", ", "(", ")");
		for (int i = 0; i < columns; i++) {
			marks.add("?");
		}
		copy.setAutoCommit(false);
		try (PreparedStatement insert = copy.prepareStatement("INSERT INTO " + quoted + " VALUES " + marks)) {
			int pending = 0;
			while (rs.next()) {
				live.add(rs, order);
				for (int i = 1; i <= columns; i++) {
					insert.setObject(i, rs.getObject(i));
				}
				insert.addBatch();
				if (++pending == INSERT_BATCH) {
					insert.executeBatch();
					pending = 0;
				}
			}
			if (pending > 0) {
				insert.executeBatch();
			}
			copy.commit();
		}
		finally {
			copy.setAutoCommit(true);
		}
	}

	/**
	 * Copies one table of a PostgreSQL connection into {@code <connection>.
	 *
	<table>
	 * .copy.gz} ({@code COPY}'s text format, gzip-compressed) and loads it back into a
	 * temporary table to check it.
	 */
	Copied postgres(String connection, String table, Path folder) throws SQLException, IOException {
		String name = fileSafe(connection) + "." + fileSafe(table) + ".copy.gz";
		Path file = folder.resolve(name);
		String quoted = ConnectionKind.POSTGRESQL.quote(table);
		DataSource dataSource = this.connections.dataSource(connection);
		String liveChecksum;
		String columns;
		Connection reading = ReadingConnection.open(dataSource);
		try {
			reading.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			// the first statement fixes the transaction's snapshot: the checksum and the
			// copy read the same rows
			columns = postgresColumns(reading, table);
			liveChecksum = checksum(reading, ConnectionKind.POSTGRESQL, table);
			try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
				reading.unwrap(PGConnection.class)
					.getCopyAPI()
					.copyOut("COPY (SELECT * FROM " + quoted + ") TO STDOUT", out);
			}
		}
		finally {
			ReadingConnection.release(reading);
		}
		String checksum;
		try (Connection check = dataSource.getConnection()) {
			check.setAutoCommit(false);
			try {
				try (Statement statement = check.createStatement()) {
					statement.execute("CREATE TEMPORARY TABLE ferry_snapshot_check (" + columns + ") ON COMMIT DROP");
				}
				try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
					check.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY ferry_snapshot_check FROM STDIN", in);
				}
				checksum = checksum(check, ConnectionKind.POSTGRESQL, "ferry_snapshot_check");
			}
			finally {
				check.rollback();
				check.setAutoCommit(true);
			}
		}
		catch (SQLException ex) {
			throw new SQLException("Checking the copy of " + table + " needs a temporary table on " + connection
					+ ", which it refused: " + ex.getMessage(), ex);
		}
		return new Copied(table, name, rows(checksum), checksum, liveChecksum, columns);
	}

	/**
	 * The columns of a PostgreSQL table as {@code CREATE TABLE} writes them, with their
	 * exact types.
	 */
	private static String postgresColumns(Connection connection, String table) throws SQLException {
		StringJoiner columns = new StringJoiner(", ");
		try (PreparedStatement statement = connection.prepareStatement("""
				SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
				FROM pg_attribute a
				WHERE a.attrelid = to_regclass(quote_ident(?)) AND a.attnum > 0 AND NOT a.attisdropped
				ORDER BY a.attnum
				""")) {
			statement.setString(1, table);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					columns.add(ConnectionKind.POSTGRESQL.quote(rs.getString(1)) + " " + rs.getString(2)
							+ (rs.getBoolean(3) ? " NOT NULL" : ""));
				}
			}
		}
		if (columns.length() == 0) {
			throw new SQLException("Table " + table + " has no columns Ferry can see.");
		}
		return columns.toString();
	}

	/** The order-independent checksum of a table's rows, read with a fetch size. */
	static String checksum(Connection connection, ConnectionKind kind, String table) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM " + kind.quote(table),
				ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
			statement.setFetchSize(FETCH_SIZE);
			try (ResultSet rs = statement.executeQuery()) {
				int[] order = RowChecksum.columnOrder(rs.getMetaData());
				RowChecksum checksum = new RowChecksum();
				while (rs.next()) {
					checksum.add(rs, order);
				}
				return checksum.unordered();
			}
		}
	}

	/** The rows a checksum {@code <rows>:<sum>} counted. */
	static long rows(String checksum) {
		return Long.parseLong(checksum.substring(0, checksum.indexOf(':')));
	}

	static long size(Path file) {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
