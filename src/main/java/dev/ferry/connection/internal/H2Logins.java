package dev.ferry.connection.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.util.Properties;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.ferry.problem.RefusedException;

/**
 * Ferry logs in to H2 databases only as a user without H2's admin right. In H2 an admin's
 * SQL is code on the Ferry server: {@code CREATE ALIAS} compiles Java source and
 * {@code CALL} runs it, {@code FILE_READ}, {@code FILE_WRITE}, {@code CSVREAD},
 * {@code CSVWRITE}, {@code SCRIPT TO}, {@code BACKUP TO} and {@code RUNSCRIPT} read and
 * write any file the Ferry process may, {@code LINK_SCHEMA} and linked tables open other
 * databases, Java triggers and aggregates load classes. H2 refuses every one of them to a
 * user without the admin right, whatever schema rights it holds, so a plan's SQL cannot
 * reach past the database. Every login is checked when it is opened, for tests and
 * catalogues as for the pools of runs.
 */
final class H2Logins {

	private static final String ADMIN_QUERY = "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS "
			+ "WHERE USER_NAME = CURRENT_USER";

	private H2Logins() {
	}

	/**
	 * Opens an H2 connection and refuses it when its user is an admin.
	 * @throws RefusedException when the user is an admin of the database
	 */
	static Connection open(String url, Properties credentials) throws SQLException {
		Connection connection = DriverManager.getConnection(url, credentials);
		try {
			String admin = adminUser(connection);
			if (admin != null) {
				throw refused(admin);
			}
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	/** The user's name when it is an admin (or H2 does not say), else null. */
	private static String adminUser(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(ADMIN_QUERY);
				ResultSet rs = statement.executeQuery()) {
			String user = connection.getMetaData().getUserName();
			if (!rs.next() || rs.getBoolean(1)) {
				return (user == null || user.isEmpty()) ? "(the empty user name)" : user;
			}
			return null;
		}
	}

	static RefusedException refused(String user) {
		return new RefusedException("connection.h2.admin", "Ferry does not log in to H2 as an admin, and " + user
				+ " is an admin of this database: an H2 admin's SQL can define Java functions (CREATE ALIAS) and read "
				+ "and write files on the Ferry server, so a plan's SQL would be code on it. Create a user without "
				+ "the admin right for Ferry and name it here: CREATE USER ferry_app PASSWORD '…'; then GRANT ALTER "
				+ "ANY SCHEMA TO ferry_app for a target, or GRANT SELECT ON SCHEMA PUBLIC TO ferry_app for a source.",
				user);
	}

	/**
	 * The pool's source of H2 connections: each physical connection is checked as it is
	 * opened, so a user made an admin later is refused too.
	 */
	static DataSource dataSource(String url, Properties credentials) {
		return new CheckedDataSource(url, credentials);
	}

	private static final class CheckedDataSource implements DataSource {

		private final String url;

		private final Properties credentials;

		private PrintWriter logWriter;

		private CheckedDataSource(String url, Properties credentials) {
			this.url = url;
			this.credentials = credentials;
		}

		@Override
		public Connection getConnection() throws SQLException {
			try {
				return open(this.url, this.credentials);
			}
			catch (RefusedException ex) {
				throw new SQLInvalidAuthorizationSpecException(ex.getMessage(), ex);
			}
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			throw new SQLFeatureNotSupportedException("The login is the connection's own.");
		}

		@Override
		public PrintWriter getLogWriter() {
			return this.logWriter;
		}

		@Override
		public void setLogWriter(PrintWriter out) {
			this.logWriter = out;
		}

		@Override
		public void setLoginTimeout(int seconds) {
			// H2 opens embedded databases at once; a TCP server's login is bounded by H2
		}

		@Override
		public int getLoginTimeout() {
			return 0;
		}

		@Override
		public Logger getParentLogger() throws SQLFeatureNotSupportedException {
			throw new SQLFeatureNotSupportedException();
		}

		@Override
		public <T> T unwrap(Class<T> iface) throws SQLException {
			if (iface.isInstance(this)) {
				return iface.cast(this);
			}
			throw new SQLException("Not a wrapper of " + iface.getName());
		}

		@Override
		public boolean isWrapperFor(Class<?> iface) {
			return iface.isInstance(this);
		}

	}

}
