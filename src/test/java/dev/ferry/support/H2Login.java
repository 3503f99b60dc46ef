package dev.ferry.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The login a test gives Ferry for an H2 database: a user without H2's admin right, as
 * Ferry requires (an admin's SQL can define Java functions and read and write files on
 * the Ferry server). A test creates its H2 file as {@code sa} (the creator is the admin),
 * fills it, calls {@link #grant} and registers the connection with {@link #USER} and
 * {@link #PASSWORD}.
 */
public final class H2Login {

	/** Ferry's user in a test's H2 databases. */
	public static final String USER = "ferry_app";

	/** Its password (test databases only). */
	public static final String PASSWORD = "ferry-app-password";

	private H2Login() {
	}

	/**
	 * Creates {@link #USER} when missing and lets it read, write and change the tables of
	 * every schema ({@code ALTER ANY SCHEMA}), which is not H2's admin right.
	 * @param admin a statement of the database's admin
	 */
	public static void grant(Statement admin) throws SQLException {
		admin.execute("CREATE USER IF NOT EXISTS " + USER + " PASSWORD '" + PASSWORD + "'");
		admin.execute("GRANT ALTER ANY SCHEMA TO " + USER);
	}

	/**
	 * {@link #grant} on the database at {@code url}, logging in as its admin {@code sa}
	 * (creating the database when it is missing).
	 */
	public static void grant(String url) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				Statement statement = connection.createStatement()) {
			grant(statement);
		}
	}

}
