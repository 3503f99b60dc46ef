package dev.ferry.connection;

import java.util.Locale;
import java.util.Optional;

/** The databases Ferry can read and write, recognised from the JDBC URL's scheme. */
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
