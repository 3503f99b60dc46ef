package dev.ferry.demo.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The logins of the demo's H2 databases. The demo writes each database as {@code sa}, who
 * becomes its admin because it created it; Ferry never logs in as an H2 admin (an admin's
 * SQL is code on the Ferry server), so every demo database also has the user
 * {@link #USER}, without the admin right: it may change the tables of a target
 * ({@code ALTER ANY SCHEMA}) and only read a source ({@code SELECT ON SCHEMA PUBLIC}).
 * The connections the demo registers log in as {@link #USER}.
 */
final class DemoLogin {

	/** The admin that writes the demo's H2 files (their creator). */
	static final String ADMIN = "sa";

	/** {@link #ADMIN}'s password: the demo's files hold only generated data. */
	static final String ADMIN_PASSWORD = "";

	/** Ferry's user in the demo's H2 databases. */
	static final String USER = "ferry_demo";

	/** {@link #USER}'s password (demo mode only; stored encrypted like any other). */
	static final String PASSWORD = "ferry-demo";

	private DemoLogin() {
	}

	/**
	 * Gives the H2 database at {@code url} the user {@link #USER} when it is missing (a
	 * workspace generated before Ferry refused admin logins has only {@code sa}), with
	 * the rights its connection needs.
	 * @param url the database's URL; it must exist
	 * @param readOnly whether the demo registers it as a source
	 */
	static void ensure(String url, boolean readOnly) throws SQLException {
		String existing = url.toUpperCase(Locale.ROOT).contains(";IFEXISTS=") ? url : url + ";IFEXISTS=TRUE";
		try (Connection connection = DriverManager.getConnection(existing, ADMIN, ADMIN_PASSWORD);
				Statement statement = connection.createStatement()) {
			grant(statement, readOnly);
		}
	}

	/**
	 * Creates {@link #USER} when missing and grants it a source's or a target's rights.
	 */
	static void grant(Statement admin, boolean readOnly) throws SQLException {
		admin.execute("CREATE USER IF NOT EXISTS " + USER + " PASSWORD '" + PASSWORD + "'");
		admin.execute(readOnly ? "GRANT SELECT ON SCHEMA PUBLIC TO " + USER : "GRANT ALTER ANY SCHEMA TO " + USER);
	}

}
