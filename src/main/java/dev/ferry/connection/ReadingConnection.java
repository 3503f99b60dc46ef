package dev.ferry.connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Connections that only read: outside auto-commit (PostgreSQL streams with a cursor only
 * then), read-only in the database where it has the means, and rolled back when released,
 * so a reader writes nothing even by mistake or by a plan's design:
 * <ul>
 * <li>PostgreSQL: the transaction is {@code READ ONLY} (the driver begins it so; the URL
 * may not turn that off, see the URL policy), so the server refuses writes and DDL;</li>
 * <li>SQLite: {@code PRAGMA query_only} for as long as the connection is lent out;</li>
 * <li>H2 has no read-only transactions: a single statement's writes (H2 allows
 * {@code SELECT * FROM OLD TABLE (DELETE …)}) are rolled back; H2 commits DDL at once,
 * which is why a reading query is one statement ({@link ReadQuery}) and why Ferry's H2
 * login has no admin right.</li>
 * </ul>
 */
public final class ReadingConnection {

	private ReadingConnection() {
	}

	/** Opens a connection for reading only. */
	public static Connection open(DataSource dataSource) throws SQLException {
		Connection connection = dataSource.getConnection();
		try {
			connection.setAutoCommit(false);
			if (ConnectionKind.of(connection) == ConnectionKind.SQLITE) {
				// SQLite fixes the driver's read-only when it opens the file; query_only
				// holds per connection
				try (Statement statement = connection.createStatement()) {
					statement.execute("PRAGMA query_only = ON");
				}
			}
			else {
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
	public static void release(Connection connection) {
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
			if (ConnectionKind.of(connection) == ConnectionKind.SQLITE) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("PRAGMA query_only = OFF");
				}
			}
		}
		catch (SQLException ex) {
			// a broken connection is discarded by the pool; one left query_only refuses
			// the next writer loudly, it never lets a reader write
		}
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// nothing more to free
		}
	}

}
