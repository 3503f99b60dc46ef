package dev.ferry.connection.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.connection.ConnectionKind;
import dev.ferry.problem.RefusedException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteLimits;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One small pool per connection, opened on first use and closed when the connection is
 * edited or deleted. Read-only connections (sources) are read-only in the database
 * itself, not just by Ferry's promise: PostgreSQL sessions are
 * {@code readOnlyMode=always}, H2 opens with {@code ACCESS_MODE_DATA=r}, SQLite with its
 * read-only open flag. Embedded databases are never created by opening a URL that names a
 * missing file. H2 is opened only with a login that is not an admin ({@link H2Logins}).
 */
@Component
class ConnectionPools implements DisposableBean {

	static final int MAX_POOL_SIZE = 4;

	private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

	/**
	 * How long a test or a catalogue read waits for a PostgreSQL server: to connect, to
	 * log in, and for any one answer.
	 */
	private final Duration testTimeout;

	/**
	 * How long a run waits for any one answer of a PostgreSQL server (0: as long as it
	 * takes); connecting and logging in are bounded as for a test.
	 */
	private final Duration runSocketTimeout;

	/**
	 * Refuses URLs that lead to Ferry's own store, also for connections stored before.
	 */
	private final StoreGuard storeGuard;

	ConnectionPools(@Value("${ferry.connections.test-timeout:10s}") Duration testTimeout,
			@Value("${ferry.connections.run-socket-timeout:30m}") Duration runSocketTimeout, StoreGuard storeGuard) {
		this.storeGuard = storeGuard;
		this.testTimeout = testTimeout;
		this.runSocketTimeout = runSocketTimeout;
	}

	DataSource get(String name, Opening opening) {
		return this.pools.computeIfAbsent(name, key -> open(key, opening));
	}

	void close(String name) {
		HikariDataSource pool = this.pools.remove(name);
		if (pool != null) {
			pool.close();
		}
	}

	@Override
	public void destroy() {
		this.pools.keySet().forEach(this::close);
	}

	/** What a pool is opened with; the password is decrypted only for this. */
	record Opening(ConnectionKind kind, String jdbcUrl, String username, String password, boolean readOnly) {

		@Override
		public String toString() {
			return "Opening[" + this.kind + " " + this.jdbcUrl + "]";
		}

	}

	/**
	 * One connection, unpooled, that fails as soon as the driver does: for tests and
	 * catalogues, where a person waits for the answer.
	 */
	Connection connectOnce(Opening opening) throws SQLException {
		checked(opening);
		Connection connection = switch (opening.kind()) {
			case POSTGRESQL -> {
				Properties properties = credentials(opening);
				String seconds = String.valueOf(seconds(this.testTimeout));
				properties.setProperty("connectTimeout", seconds);
				properties.setProperty("loginTimeout", seconds);
				properties.setProperty("socketTimeout", seconds);
				properties.setProperty("ApplicationName", "Ferry");
				if (opening.readOnly()) {
					properties.setProperty("readOnlyMode", "always");
				}
				yield DriverManager.getConnection(opening.jdbcUrl(), properties);
			}
			case H2 -> H2Logins.open(h2Url(opening.jdbcUrl(), opening.readOnly()), credentials(opening));
			case SQLITE -> sqlite(opening).getConnection();
		};
		connection.setReadOnly(opening.readOnly());
		return connection;
	}

	private static Properties credentials(Opening opening) {
		Properties properties = new Properties();
		if (opening.username() != null) {
			properties.setProperty("user", opening.username());
		}
		if (opening.password() != null) {
			properties.setProperty("password", opening.password());
		}
		return properties;
	}

	private static SQLiteDataSource sqlite(Opening opening) {
		String file = sqliteFile(opening.jdbcUrl());
		if (!file.equals(":memory:") && !Files.exists(Path.of(file))) {
			throw new RefusedException("connection.sqlite.missing",
					"The SQLite database file " + file + " does not exist.", file);
		}
		SQLiteConfig sqlite = new SQLiteConfig();
		sqlite.setReadOnly(opening.readOnly());
		sqlite.setBusyTimeout(5_000);
		SQLiteDataSource dataSource = new ConfinedSqlite(sqlite);
		dataSource.setUrl(opening.jdbcUrl());
		return dataSource;
	}

	/**
	 * The URL policy once more where a connection is opened: a connection stored before
	 * the policy refused its URL is not opened with it.
	 */
	private void checked(Opening opening) {
		JdbcUrlPolicy.check(opening.jdbcUrl());
		this.storeGuard.check(opening.jdbcUrl());
		JdbcUrlPolicy.checkUser(opening.jdbcUrl(), opening.username());
	}

	/** Whole seconds, at least one (PostgreSQL's driver counts in seconds; 0 is none). */
	private static long seconds(Duration timeout) {
		return Math.max(1, (timeout.toMillis() + 999) / 1000);
	}

	HikariDataSource open(String name, Opening opening) {
		checked(opening);
		HikariConfig config = new HikariConfig();
		config.setPoolName("ferry-connection-" + name);
		config.setMaximumPoolSize(MAX_POOL_SIZE);
		config.setMinimumIdle(0);
		config.setIdleTimeout(120_000);
		config.setConnectionTimeout(10_000);
		config.setValidationTimeout(5_000);
		config.setInitializationFailTimeout(-1);
		config.setReadOnly(opening.readOnly());
		switch (opening.kind()) {
			case POSTGRESQL -> {
				config.setJdbcUrl(opening.jdbcUrl());
				config.setUsername(opening.username());
				config.setPassword(opening.password());
				config.addDataSourceProperty("connectTimeout", String.valueOf(seconds(this.testTimeout)));
				config.addDataSourceProperty("loginTimeout", String.valueOf(seconds(this.testTimeout)));
				config.addDataSourceProperty("socketTimeout",
						this.runSocketTimeout.isZero() ? "0" : String.valueOf(seconds(this.runSocketTimeout)));
				config.addDataSourceProperty("ApplicationName", "Ferry");
				if (opening.readOnly()) {
					config.addDataSourceProperty("readOnlyMode", "always");
				}
			}
			case H2 -> {
				String url = h2Url(opening.jdbcUrl(), opening.readOnly());
				// refused at once with its reason, not after the pool's wait for a
				// connection it can never have
				try (Connection login = H2Logins.open(url, credentials(opening))) {
					// an H2 login without the admin right
				}
				catch (SQLException ex) {
					// the pool reports an unreachable database when it is used
				}
				config.setDataSource(H2Logins.dataSource(url, credentials(opening)));
			}
			case SQLITE -> config.setDataSource(sqlite(opening));
		}
		return new HikariDataSource(config);
	}

	private static String h2Url(String url, boolean readOnly) {
		String upper = url.toUpperCase(Locale.ROOT);
		StringBuilder result = new StringBuilder(url);
		if (!upper.contains(";IFEXISTS=")) {
			result.append(";IFEXISTS=TRUE");
		}
		if (readOnly && !upper.contains(";ACCESS_MODE_DATA=")) {
			result.append(";ACCESS_MODE_DATA=r");
		}
		return result.toString();
	}

	/**
	 * {@code VACUUM INTO} a file, on a read-only connection of its own that has room for
	 * the one database {@code VACUUM INTO} attaches: Ferry's code names the file, never a
	 * plan's SQL.
	 */
	static void vacuumInto(Opening opening, Path file) throws SQLException {
		SQLiteConfig config = new SQLiteConfig();
		config.setReadOnly(true);
		config.setBusyTimeout(5_000);
		SQLiteDataSource dataSource = new SQLiteDataSource(config);
		dataSource.setUrl(opening.jdbcUrl());
		try (SQLiteConnection connection = (SQLiteConnection) dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("VACUUM INTO ?")) {
			connection.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 1);
			statement.setString(1, file.toAbsolutePath().toString());
			statement.execute();
		}
	}

	private static String sqliteFile(String url) {
		String rest = url.substring("jdbc:sqlite:".length());
		int query = rest.indexOf('?');
		String file = query >= 0 ? rest.substring(0, query) : rest;
		return file.startsWith("file:") ? file.substring("file:".length()) : file;
	}

	/**
	 * SQLite runs inside the Ferry process, so its SQL reaches the Ferry host's files:
	 * {@code ATTACH DATABASE '/any/path'} opens or creates any SQLite file the process
	 * may write, and {@code VACUUM INTO} writes a copy anywhere. Every connection is
	 * opened with no room for attached databases (SQLite's {@code SQLITE_LIMIT_ATTACHED}
	 * at 0), which refuses both; loading extensions is off in the driver and no URL may
	 * turn it on.
	 */
	private static final class ConfinedSqlite extends SQLiteDataSource {

		private ConfinedSqlite(SQLiteConfig config) {
			super(config);
		}

		@Override
		public SQLiteConnection getConnection(String username, String password) throws SQLException {
			SQLiteConnection connection = super.getConnection(username, password);
			try {
				connection.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
				return connection;
			}
			catch (SQLException ex) {
				connection.close();
				throw ex;
			}
		}

	}

}
