package dev.ferry.connection;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The connections Ferry migrates between. Reading needs VIEWER, testing OPERATOR,
 * changing ADMIN; the checks are made here, so the console and the API obey the same
 * rules.
 */
public interface ConnectionService {

	List<ConnectionView> list();

	ConnectionView get(String name);

	/**
	 * What uses the connection ("plan ahs-v2"), so that it cannot be deleted; empty when
	 * nothing does.
	 */
	List<String> usedBy(String name);

	/** What uses each connection, for all of them at once; unused ones are not keys. */
	Map<String, List<String>> usedBy();

	boolean exists(String name);

	ConnectionView create(ConnectionCommand command);

	/** Changes a connection; its pool is closed and reopened on next use. */
	ConnectionView update(String name, ConnectionCommand command);

	void delete(String name);

	/** Connects with a short timeout and lists the tables with their row counts. */
	ConnectionCheck test(String name);

	/** The tables and columns of a connection, or empty when it cannot be reached now. */
	Optional<ConnectionCatalog> catalog(String name);

	/**
	 * The rows a table of a connection has now (its name matched ignoring case), or empty
	 * when the table is missing, the connection cannot be reached, or counting takes
	 * longer than a few seconds.
	 */
	java.util.OptionalLong rowCount(String name, String table);

	/** The pooled data source of a connection, read-only for read-only connections. */
	DataSource dataSource(String name);

	/**
	 * Copies the database of a SQLite connection into {@code file} with
	 * {@code VACUUM INTO}: a consistent copy of the whole file, taken on a read-only
	 * connection of its own. For Ferry's snapshots only: the connections plan SQL runs on
	 * cannot write files (they have no room for attached databases, which
	 * {@code VACUUM INTO} needs).
	 * @param name a SQLite connection
	 * @param file where the copy goes; it must not exist
	 */
	void copySqlite(String name, java.nio.file.Path file) throws java.sql.SQLException;

}
