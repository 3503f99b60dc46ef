package dev.ferry.connection.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionCheck;
import dev.ferry.connection.ConnectionChanged;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionService;
import dev.ferry.connection.ConnectionUsers;
import dev.ferry.connection.ConnectionView;
import dev.ferry.problem.ErrorWords;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The connection profiles in Ferry's store, their secrets sealed, their pools on demand.
 */
@Service
class StoredConnections implements ConnectionService {

	private static final Logger log = LoggerFactory.getLogger(StoredConnections.class);

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

	private final ConnectionProfiles profiles;

	private final SecretBox secrets;

	private final ConnectionPools pools;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	/** Refuses URLs that lead to Ferry's own store. */
	private final StoreGuard storeGuard;

	/** What uses a connection (the plans), asked before it is deleted. */
	private final ObjectProvider<ConnectionUsers> users;

	StoredConnections(ConnectionProfiles profiles, SecretBox secrets, ConnectionPools pools, Clock clock,
			ApplicationEventPublisher events, StoreGuard storeGuard, ObjectProvider<ConnectionUsers> users) {
		this.users = users;
		this.storeGuard = storeGuard;
		this.events = events;
		this.profiles = profiles;
		this.secrets = secrets;
		this.pools = pools;
		this.clock = clock;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<ConnectionView> list() {
		return this.profiles.findAllByOrderByNameAsc().stream().map(ConnectionProfile::view).toList();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public ConnectionView get(String name) {
		return load(name).view();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public boolean exists(String name) {
		return this.profiles.existsByName(name);
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public ConnectionView create(ConnectionCommand command) {
		String name = command.name() == null ? "" : command.name().trim();
		if (!NAME.matcher(name).matches()) {
			throw new InvalidException("name", "connection.name.invalid",
					"A connection name is 1 to 64 characters: lower-case letters, digits, '_' or '-', starting with a letter or digit.");
		}
		if (this.profiles.existsByName(name)) {
			throw new InvalidException("name", "connection.name.taken", "A connection named " + name + " exists.",
					name);
		}
		ConnectionProfile profile = new ConnectionProfile(name, this.clock.instant());
		describe(profile, command);
		ConnectionView saved = this.profiles.save(profile).view();
		log.info("Connection {} created ({}, {})", name, saved.kind(), saved.jdbcUrl());
		changed(name, "created");
		return saved;
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public ConnectionView update(String name, ConnectionCommand command) {
		ConnectionProfile profile = load(name);
		describe(profile, command);
		ConnectionView saved = this.profiles.save(profile).view();
		this.pools.close(name);
		log.info("Connection {} changed ({}, {})", name, saved.kind(), saved.jdbcUrl());
		changed(name, "changed");
		return saved;
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public void delete(String name) {
		ConnectionProfile profile = load(name);
		List<String> users = usedBy(name);
		if (!users.isEmpty()) {
			throw new RefusedException("connection.inUse",
					"Connection " + name + " is used by " + String.join(", ", users) + ": change or delete "
							+ (users.size() == 1 ? "it" : "them")
							+ " first, or the plan would name a connection that is gone.",
					name, String.join(", ", users));
		}
		this.profiles.delete(profile);
		this.pools.close(name);
		log.info("Connection {} deleted", name);
		changed(name, "deleted");
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	public List<String> usedBy(String name) {
		return usedBy().getOrDefault(name, List.of());
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	public java.util.Map<String, List<String>> usedBy() {
		java.util.Map<String, List<String>> all = new java.util.TreeMap<>();
		this.users.orderedStream()
			.forEach(users -> users.byConnection()
				.forEach((name, what) -> all.computeIfAbsent(name, n -> new java.util.ArrayList<>()).addAll(what)));
		return all;
	}

	private void changed(String name, String change) {
		this.events.publishEvent(new ConnectionChanged(name, change,
				dev.ferry.security.CurrentUser.get().map(dev.ferry.security.CurrentUser::username).orElse("unknown")));
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	public ConnectionCheck test(String name) {
		ConnectionProfile profile = load(name);
		try (Connection connection = this.pools.connectOnce(opening(profile))) {
			List<ConnectionCheck.TableRows> tables = CatalogReader.rowCounts(connection, profile.getKind());
			String product = connection.getMetaData().getDatabaseProductName() + " "
					+ connection.getMetaData().getDatabaseProductVersion();
			return new ConnectionCheck(true, "Connected to " + product + (profile.isReadOnly() ? " (read-only)" : "")
					+ ": " + tables.size() + " tables.", tables);
		}
		catch (SQLException | RuntimeException ex) {
			return new ConnectionCheck(false, ErrorWords.of(ex), List.of());
		}
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	public Optional<ConnectionCatalog> catalog(String name) {
		ConnectionProfile profile = load(name);
		try (Connection connection = this.pools.connectOnce(opening(profile))) {
			return Optional.of(CatalogReader.catalog(connection, profile.getKind()));
		}
		catch (SQLException | RuntimeException ex) {
			log.info("Connection {} cannot be reached: {}", name, ErrorWords.of(ex));
			return Optional.empty();
		}
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	public java.util.OptionalLong rowCount(String name, String table) {
		ConnectionProfile profile = load(name);
		try (Connection connection = pool(profile).getConnection()) {
			return CatalogReader.rowCount(connection, profile.getKind(), table);
		}
		catch (SQLException | RuntimeException ex) {
			log.info("Counting {} on {} failed: {}", table, name, ErrorWords.of(ex));
			return java.util.OptionalLong.empty();
		}
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	public void copySqlite(String name, java.nio.file.Path file) throws SQLException {
		ConnectionProfile profile = load(name);
		if (profile.getKind() != ConnectionKind.SQLITE) {
			throw new IllegalArgumentException("Connection " + name + " is not a SQLite database.");
		}
		ConnectionPools.vacuumInto(opening(profile), file);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	public DataSource dataSource(String name) {
		return pool(load(name));
	}

	private DataSource pool(ConnectionProfile profile) {
		return this.pools.get(profile.getName(), opening(profile));
	}

	private ConnectionPools.Opening opening(ConnectionProfile profile) {
		return new ConnectionPools.Opening(profile.getKind(), profile.getJdbcUrl(), profile.getUsername(),
				profile.getSecret() == null ? null : this.secrets.open(profile.getName(), profile.getSecret()),
				profile.isReadOnly());
	}

	private void describe(ConnectionProfile profile, ConnectionCommand command) {
		ConnectionKind kind = JdbcUrlPolicy.check(command.jdbcUrl());
		String username = command.username() == null || command.username().isBlank() ? null : command.username().trim();
		JdbcUrlPolicy.checkUser(command.jdbcUrl(), username);
		this.storeGuard.check(command.jdbcUrl());
		boolean elsewhere = profile.getJdbcUrl() != null
				&& (!destination(profile.getJdbcUrl()).equals(destination(command.jdbcUrl()))
						|| !Objects.equals(profile.getUsername(), username));
		profile.describe(kind, command.jdbcUrl().trim(), username, command.readOnly(), this.clock.instant());
		if (command.password() != null && !command.password().isEmpty()) {
			profile.sealSecret(this.secrets.seal(profile.getName(), command.password()));
		}
		else if (elsewhere) {
			// a stored password goes only where it was given for: another server,
			// database
			// or user gets it only when it is typed again
			profile.sealSecret(null);
		}
	}

	/**
	 * Where a URL leads: host, port and database (or the file), without the settings
	 * after {@code ?} or {@code ;}.
	 */
	static String destination(String jdbcUrl) {
		String url = jdbcUrl.trim();
		int end = url.length();
		for (char c : new char[] { '?', ';' }) {
			int at = url.indexOf(c);
			if (at >= 0 && at < end) {
				end = at;
			}
		}
		return url.substring(0, end);
	}

	private ConnectionProfile load(String name) {
		return this.profiles.findByName(name)
			.orElseThrow(
					() -> new NotFoundException("connection.notFound", "No connection is named " + name + ".", name));
	}

}
