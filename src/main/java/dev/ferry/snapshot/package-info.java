/**
 * Snapshot phases: a consistent copy of named tables in Ferry's data directory
 * ({@code <data-dir>/snapshots/<run-id>/}), each table's rows and checksum recorded and
 * compared with the live table (SQLite by {@code VACUUM INTO}, H2 into an H2 file of
 * Ferry's own, PostgreSQL by {@code COPY (SELECT …) TO STDOUT} into gzip files); the
 * newest copy of a table for the {@code snapshot-fresh} gate; the list with sizes, the
 * admins' downloads and expiry by {@code ferry.snapshots.retention}.
 */
@ApplicationModule(
		allowedDependencies = { "run", "plan", "plan::spec", "connection", "preflight", "security", "problem" })
package dev.ferry.snapshot;

import org.springframework.modulith.ApplicationModule;
