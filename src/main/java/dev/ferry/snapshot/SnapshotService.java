package dev.ferry.snapshot;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The snapshots taken by snapshot phases. Reading needs VIEWER; a file's path for a
 * download needs ADMIN (a snapshot holds whole tables).
 */
public interface SnapshotService {

	/**
	 * The snapshots of a plan, or of every plan when {@code plan} is null, newest first.
	 */
	List<Snapshot> list(String plan, int limit);

	Optional<Snapshot> get(long runId);

	/**
	 * The newest copy of a table taken by a snapshot phase of a plan that is still kept.
	 * @param table the table's name, matched ignoring case
	 */
	Optional<SnapshotTable> newest(String plan, String connection, String table);

	/**
	 * A file of a snapshot that is still kept, for an admin to download.
	 * @throws dev.ferry.problem.NotFoundException for an unknown or expired one
	 */
	Path file(long runId, String name);

	/**
	 * Deletes the files of the snapshots older than the retention setting and marks them
	 * expired; as the system or an admin.
	 * @return the snapshots expired
	 */
	int expire();

	/**
	 * How to read a table of a snapshot as an import's source, for the restore recipe
	 * (ADMIN: it names files on the Ferry host).
	 */
	Restore restore(SnapshotTable table);

	/**
	 * A snapshot's table as a restore reads it.
	 *
	 * @param jdbcUrl SQLite and H2: the URL of a read-only connection to the copy
	 * @param username H2: the copy's login without the admin right; {@code null}
	 * otherwise
	 * @param load PostgreSQL: the {@code psql} commands that load the copy into a table
	 * {@code restore_<table>} of the target, to import from; {@code null} otherwise
	 */
	record Restore(String jdbcUrl, String username, String load) {

	}

}
