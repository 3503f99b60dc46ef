package dev.ferry.connection;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Connections that only read: outside auto-commit (PostgreSQL streams with a cursor only
 * then) and read-only where the driver can still be told so, and rolled back when
 * released, so a reader writes nothing even by mistake.
 */
public final class ReadingConnection {

	private ReadingConnection() {
	}

	/** Opens a connection for reading only. */
	public static Connection open(DataSource dataSource) throws SQLException {
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
			connection.close();
		}
		catch (SQLException ex) {
			// nothing more to free
		}
	}

}
