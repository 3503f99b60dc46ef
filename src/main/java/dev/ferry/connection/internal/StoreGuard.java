package dev.ferry.connection.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.ferry.problem.InvalidException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Keeps Ferry's own store from being added as a connection: through it, plan SQL (a gate,
 * a sql phase) would read the users' password hashes and write the audit log. A URL is
 * refused when it leads to the store: for H2, the same database file (every URL form,
 * {@code ~}, relative paths and links resolved); for PostgreSQL, the same host (by its
 * addresses), port and database.
 */
@Component
class StoreGuard {

	private final ObjectProvider<DataSource> store;

	/** The store's URL as its pool opened it (a property may hold a random part). */
	private volatile String storeUrl;

	StoreGuard(ObjectProvider<DataSource> store) {
		this.store = store;
	}

	/** Refuses {@code jdbcUrl} when it names Ferry's store. */
	void check(String jdbcUrl) {
		String storeUrl = storeUrl();
		if (storeUrl == null || jdbcUrl == null) {
			return;
		}
		if (same(jdbcUrl.trim(), storeUrl.trim())) {
			throw new InvalidException("jdbcUrl", "connection.url.store",
					"This URL leads to Ferry's own store, which holds its users, secrets and audit log: it cannot be "
							+ "a connection. Point the connection at the databases a plan moves data between.");
		}
	}

	private String storeUrl() {
		if (this.storeUrl == null) {
			DataSource dataSource = this.store.getIfAvailable();
			if (dataSource == null) {
				return null;
			}
			try {
				this.storeUrl = dataSource.isWrapperFor(HikariDataSource.class)
						? dataSource.unwrap(HikariDataSource.class).getJdbcUrl() : url(dataSource);
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Ferry's store cannot be read: " + ex.getMessage(), ex);
			}
		}
		return this.storeUrl;
	}

	private static String url(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			return connection.getMetaData().getURL();
		}
	}

	static boolean same(String url, String store) {
		Optional<String> h2 = h2Database(url);
		if (h2.isPresent()) {
			return h2Database(store).map(h2.get()::equals).orElse(false);
		}
		Optional<Address> address = postgres(url);
		return address.isPresent() && postgres(store).map(address.get()::same).orElse(false);
	}

	/**
	 * Which database an H2 URL opens in this process: {@code mem:<name>} for an in-memory
	 * one (shared by name within the process), {@code file:<path>} for a file, absolute
	 * and with links resolved; empty for a server URL.
	 */
	static Optional<String> h2Database(String url) {
		String upper = url.toUpperCase(Locale.ROOT);
		if (!upper.startsWith("JDBC:H2:")) {
			return Optional.empty();
		}
		String location = url.substring("jdbc:h2:".length()).split(";", 2)[0].trim();
		String lower = location.toLowerCase(Locale.ROOT);
		if (lower.startsWith("mem:")) {
			return Optional.of("mem:" + location.substring("mem:".length()));
		}
		if (lower.startsWith("tcp:") || lower.startsWith("ssl:")) {
			return Optional.empty();
		}
		return Optional.of("file:" + h2File(location));
	}

	private static Path h2File(String fileLocation) {
		String location = fileLocation;
		String lower = location.toLowerCase(Locale.ROOT);
		if (lower.startsWith("file:")) {
			location = location.substring("file:".length());
		}
		if (location.startsWith("~")) {
			location = System.getProperty("user.home") + location.substring(1);
		}
		Path path = Path.of(location).toAbsolutePath().normalize();
		Path file = path.resolveSibling(path.getFileName() + ".mv.db");
		try {
			if (Files.exists(file)) {
				Path real = file.toRealPath();
				String name = real.getFileName().toString();
				return real.resolveSibling(name.substring(0, name.length() - ".mv.db".length()));
			}
			Path parent = path.getParent();
			return (parent != null && Files.exists(parent)) ? parent.toRealPath().resolve(path.getFileName()) : path;
		}
		catch (IOException ex) {
			return path;
		}
	}

	/** Host, port and database of a PostgreSQL URL. */
	static Optional<Address> postgres(String url) {
		if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
			return Optional.empty();
		}
		String rest = url.substring("jdbc:postgresql:".length()).split("\\?", 2)[0];
		String host = "localhost";
		int port = 5432;
		String database;
		if (rest.startsWith("//")) {
			String[] parts = rest.substring(2).split("/", 2);
			database = (parts.length > 1) ? parts[1] : "";
			String authority = parts[0];
			// the first host of a list is where the driver goes first
			authority = authority.split(",", 2)[0];
			int colon = authority.lastIndexOf(':');
			if (colon > 0 && authority.indexOf(']') < colon) {
				host = authority.substring(0, colon);
				try {
					port = Integer.parseInt(authority.substring(colon + 1));
				}
				catch (NumberFormatException ex) {
					return Optional.empty();
				}
			}
			else if (!authority.isEmpty()) {
				host = authority;
			}
		}
		else {
			database = rest;
		}
		return Optional
			.of(new Address(host.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT), port, database));
	}

	record Address(String host, int port, String database) {

		boolean same(Address other) {
			return this.port == other.port && this.database.equals(other.database) && sameHost(this.host, other.host);
		}

		private static boolean sameHost(String a, String b) {
			if (a.equals(b)) {
				return true;
			}
			try {
				InetAddress[] left = InetAddress.getAllByName(a);
				InetAddress[] right = InetAddress.getAllByName(b);
				for (InetAddress l : left) {
					for (InetAddress r : right) {
						if (l.equals(r) || (l.isLoopbackAddress() && r.isLoopbackAddress())) {
							return true;
						}
					}
				}
			}
			catch (UnknownHostException ex) {
				return false;
			}
			return false;
		}

	}

}
