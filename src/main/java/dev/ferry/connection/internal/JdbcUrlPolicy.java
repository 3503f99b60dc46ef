package dev.ferry.connection.internal;

import java.util.Locale;
import java.util.Set;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.problem.InvalidException;

/**
 * Which JDBC URLs Ferry opens. A connection URL must never be a way into the server: H2
 * settings are allow-listed (INIT, RUNSCRIPT, TRACE_LEVEL_FILE and every other setting
 * that runs code or writes files are refused), PostgreSQL parameters that load classes or
 * write files are refused, SQLite may not load extensions or resources, and no URL may
 * carry a password (it would be shown back; the secret field is encrypted instead).
 */
final class JdbcUrlPolicy {

	private static final Set<String> H2_SETTINGS = Set.of("MODE", "DATABASE_TO_UPPER", "DATABASE_TO_LOWER",
			"CASE_INSENSITIVE_IDENTIFIERS", "NON_KEYWORDS", "DEFAULT_NULL_ORDERING", "DB_CLOSE_DELAY",
			"DB_CLOSE_ON_EXIT", "IFEXISTS", "ACCESS_MODE_DATA", "LOCK_TIMEOUT", "IGNORECASE", "TIME ZONE", "FILE_LOCK",
			"MV_STORE", "DEFAULT_LOCK_TIMEOUT", "QUERY_TIMEOUT");

	private static final Set<String> POSTGRES_REFUSED = Set.of("socketfactory", "socketfactoryarg", "sslfactory",
			"sslfactoryarg", "sslhostnameverifier", "sslpasswordcallback", "authenticationpluginclassname",
			"loggerfile", "loggerlevel", "password", "sslpassword", "sslkey", "sslcert", "sslrootcert",
			"jaasapplicationname", "kerberosservername", "options", "readonlymode");

	private static final Set<String> SQLITE_PARAMETERS = Set.of("journal_mode", "busy_timeout", "foreign_keys",
			"synchronous", "date_class", "date_precision", "date_string_format");

	private JdbcUrlPolicy() {
	}

	static ConnectionKind check(String jdbcUrl) {
		if (jdbcUrl == null || jdbcUrl.isBlank()) {
			throw invalid("connection.url.required", "A JDBC URL is required.");
		}
		String url = jdbcUrl.trim();
		if (url.length() > 1000 || url.chars().anyMatch(c -> c < 0x20)) {
			throw invalid("connection.url.malformed", "The JDBC URL is too long or contains control characters.");
		}
		ConnectionKind kind = ConnectionKind.of(url)
			.orElseThrow(() -> invalid("connection.url.unsupported",
					"Ferry connects to PostgreSQL (jdbc:postgresql:), H2 (jdbc:h2:) and SQLite (jdbc:sqlite:); "
							+ scheme(url) + " is not one of them.",
					scheme(url)));
		switch (kind) {
			case H2 -> checkH2(url);
			case POSTGRESQL -> checkPostgres(url);
			case SQLITE -> checkSqlite(url);
		}
		return kind;
	}

	private static void checkH2(String url) {
		String upper = url.toUpperCase(Locale.ROOT);
		if (upper.contains("RUNSCRIPT") || upper.contains("INIT=") || upper.contains("CREATE ALIAS")
				|| upper.contains("JAVA_OBJECT_SERIALIZER") || upper.contains("TRACE_LEVEL_FILE")) {
			throw refusedH2(url);
		}
		String[] parts = url.split(";");
		for (int i = 1; i < parts.length; i++) {
			String part = parts[i].trim();
			if (part.isEmpty()) {
				continue;
			}
			int eq = part.indexOf('=');
			String setting = (eq < 0 ? part : part.substring(0, eq)).trim().toUpperCase(Locale.ROOT);
			String value = (eq < 0 ? "" : part.substring(eq + 1)).trim();
			if (setting.equals("AUTO_SERVER") || setting.equals("AUTO_SERVER_PORT")) {
				throw invalid("connection.url.h2AutoServer", "The H2 setting " + setting
						+ " is not allowed: it opens a TCP server for the database on every network interface of "
						+ "the Ferry server. Name a running H2 server with jdbc:h2:tcp:// instead.", setting);
			}
			if (setting.equals("IFEXISTS") && !value.equalsIgnoreCase("TRUE")) {
				throw invalid("connection.url.h2IfExists",
						"IFEXISTS=" + value
								+ " is not allowed: Ferry opens only H2 databases that exist, and never creates one "
								+ "where a URL points.",
						value);
			}
			if (setting.equals("ACCESS_MODE_DATA") && !value.equalsIgnoreCase("r")) {
				throw invalid("connection.url.h2AccessMode", "ACCESS_MODE_DATA=" + value
						+ " is not allowed: whether Ferry may write is the connection's read-only setting, which "
						+ "opens H2 with ACCESS_MODE_DATA=r; a URL may only ask for r.", value);
			}
			if (!H2_SETTINGS.contains(setting)) {
				throw invalid("connection.url.h2Setting", "The H2 setting " + setting
						+ " is not allowed in a connection URL: only settings that cannot run code or write other "
						+ "files are (" + String.join(", ", H2_SETTINGS.stream().sorted().toList()) + ").", setting);
			}
		}
		String location = parts[0].substring("jdbc:h2:".length()).toLowerCase(Locale.ROOT);
		if (location.startsWith("mem:")) {
			throw invalid("connection.url.h2Memory",
					"An in-memory H2 database (jdbc:h2:mem:) lives only inside the Ferry process, and whoever opens it "
							+ "first becomes its admin, whose SQL is code on the Ferry server. Name an H2 file "
							+ "(jdbc:h2:file:/path/db) or server (jdbc:h2:tcp://host/db) and a user without the admin "
							+ "right.");
		}
		if (location.startsWith("zip:") || location.startsWith("split:") || location.startsWith("nio")
				|| location.startsWith("memfs:") || location.startsWith("memlzf:") || location.startsWith("async:")
				|| location.startsWith("retry:")) {
			throw invalid("connection.url.h2Location",
					"H2 URLs name a database as file:, tcp:, ssl: or a plain path; other file systems (and mem:) are not allowed.");
		}
	}

	/**
	 * A PostgreSQL URL's {@code user} parameter would replace the username field without
	 * a word: it is allowed only when it says the same as that field.
	 */
	static void checkUser(String jdbcUrl, String username) {
		String url = jdbcUrl.trim();
		int query = url.indexOf('?');
		if (ConnectionKind.of(url).orElse(null) != ConnectionKind.POSTGRESQL || query < 0) {
			return;
		}
		for (String parameter : url.substring(query + 1).split("&")) {
			String[] pair = parameter.split("=", 2);
			if (pair[0].trim().equalsIgnoreCase("user")) {
				String user = (pair.length > 1) ? pair[1].trim() : "";
				if (username == null || !username.equals(user)) {
					throw invalid("connection.url.pgUser",
							"The URL's user=" + user + " would replace the username " + "field ("
									+ (username == null ? "empty" : username) + ") without a word: put the user in "
									+ "the username field and leave user out of the URL.",
							user);
				}
			}
		}
	}

	private static InvalidException refusedH2(String url) {
		return invalid("connection.url.h2Code",
				"This H2 URL could run code or write files on the Ferry server (INIT, RUNSCRIPT, CREATE ALIAS, "
						+ "TRACE_LEVEL_FILE and the like are refused).");
	}

	private static void checkPostgres(String url) {
		int query = url.indexOf('?');
		String address = (query < 0) ? url : url.substring(0, query);
		if (address.startsWith("jdbc:postgresql://")) {
			String authority = address.substring("jdbc:postgresql://".length()).split("/", 2)[0];
			if (authority.contains("@")) {
				throw invalid("connection.url.pgUserInfo",
						"A PostgreSQL URL names host, port and database only: "
								+ "put the user in the username field and the password in the password field (a URL is "
								+ "shown to every viewer; the password field is encrypted).");
			}
		}
		if (query < 0) {
			return;
		}
		for (String parameter : url.substring(query + 1).split("&")) {
			String name = parameter.split("=", 2)[0].trim().toLowerCase(Locale.ROOT);
			if (POSTGRES_REFUSED.contains(name)) {
				if (name.equals("user")) {
					throw invalid("connection.url.pgUser", "The PostgreSQL parameter user is not allowed in a "
							+ "connection URL: it would silently replace the username field; put the user there.",
							name);
				}
				if (name.equals("readonlymode")) {
					throw invalid("connection.url.pgReadOnlyMode", "The PostgreSQL parameter readOnlyMode is not "
							+ "allowed in a connection URL: Ferry sets it so that the server itself refuses writes on a "
							+ "read-only connection and in every transaction that only reads.", name);
				}
				throw invalid("connection.url.pgParameter", "The PostgreSQL parameter " + name
						+ " is not allowed in a connection URL: it could load code, read or write files on the Ferry "
						+ "server, or carry a secret (put the password in the password field).", name);
			}
		}
	}

	private static void checkSqlite(String url) {
		String rest = url.substring("jdbc:sqlite:".length());
		if (rest.startsWith(":resource:") || rest.toLowerCase(Locale.ROOT).contains("enable_load_extension")) {
			throw invalid("connection.url.sqliteResource",
					"SQLite URLs name a database file (or :memory:); resources and extensions are not allowed.");
		}
		int query = rest.indexOf('?');
		if (query >= 0) {
			for (String parameter : rest.substring(query + 1).split("&")) {
				String name = parameter.split("=", 2)[0].trim().toLowerCase(Locale.ROOT);
				if (!SQLITE_PARAMETERS.contains(name)) {
					throw invalid("connection.url.sqliteParameter",
							"The SQLite parameter " + name + " is not allowed in a connection URL.", name);
				}
			}
		}
		String path = query >= 0 ? rest.substring(0, query) : rest;
		if (path.isBlank()) {
			throw invalid("connection.url.sqlitePath",
					"A SQLite URL names the database file: jdbc:sqlite:/path/to/file.db");
		}
	}

	private static String scheme(String url) {
		String[] parts = url.split(":", 3);
		return parts.length >= 2 ? parts[0] + ":" + parts[1] + ":" : url;
	}

	private static InvalidException invalid(String code, String message, Object... args) {
		return new InvalidException("jdbcUrl", code, message, args);
	}

}
