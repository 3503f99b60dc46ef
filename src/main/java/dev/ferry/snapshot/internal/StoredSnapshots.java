package dev.ferry.snapshot.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.ferry.problem.NotFoundException;
import dev.ferry.run.RunDetails;
import dev.ferry.run.RunView;
import dev.ferry.snapshot.Snapshot;
import dev.ferry.snapshot.SnapshotExpired;
import dev.ferry.snapshot.SnapshotService;
import dev.ferry.snapshot.SnapshotTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The snapshots (table {@code snapshot_tables} and the folders under
 * {@code <data-dir>/snapshots}): a snapshot is what a succeeded snapshot run copied; the
 * files of a run that failed or was cancelled are deleted by the next expiry, as are
 * those of snapshots older than {@code ferry.snapshots.retention} (default 14 days).
 */
@Service
class StoredSnapshots implements SnapshotService, RunDetails {

	private static final Logger log = LoggerFactory.getLogger(StoredSnapshots.class);

	private static final String COLUMNS = """
			st.run_id, st.seq, st.plan, st.connection, st.table_name, st.engine, st.file_name, st.row_count,
			st.checksum, st.live_checksum, st.columns_ddl, st.bytes, st.copied_at, st.expired_at
			""";

	private final JdbcClient store;

	private final SnapshotExecutor executor;

	private final Clock clock;

	private final Duration retention;

	private final ApplicationEventPublisher events;

	StoredSnapshots(JdbcClient store, SnapshotExecutor executor, Clock clock,
			@Value("${ferry.snapshots.retention:14d}") Duration retention, ApplicationEventPublisher events) {
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException(
					"ferry.snapshots.retention (FERRY_SNAPSHOTS_RETENTION) must be a positive duration such as 14d, not "
							+ retention + ".");
		}
		this.store = store;
		this.executor = executor;
		this.clock = clock;
		this.retention = retention;
		this.events = events;
	}

	Duration retention() {
		return this.retention;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<Snapshot> list(String plan, int limit) {
		List<Long> runs = this.store.sql("""
				SELECT st.run_id FROM snapshot_tables st JOIN runs r ON r.id = st.run_id
				WHERE r.state = 'succeeded' AND (CAST(? AS VARCHAR(64)) IS NULL OR st.plan = ?)
				GROUP BY st.run_id ORDER BY st.run_id DESC LIMIT ?
				""").params(plan, plan, Math.max(1, limit)).query(Long.class).list();
		List<Snapshot> snapshots = new ArrayList<>();
		for (Long run : runs) {
			read(run).ifPresent(snapshots::add);
		}
		return snapshots;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<Snapshot> get(long runId) {
		return read(runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<SnapshotTable> newest(String plan, String connection, String table) {
		return this.store.sql("SELECT " + COLUMNS + """
				FROM snapshot_tables st JOIN runs r ON r.id = st.run_id
				WHERE st.plan = ? AND st.connection = ? AND lower(st.table_name) = lower(?)
				  AND st.expired_at IS NULL AND r.state = 'succeeded'
				ORDER BY st.copied_at DESC, st.run_id DESC
				""").params(plan, connection, table).query(StoredSnapshots::table).stream().findFirst();
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional(readOnly = true)
	public Path file(long runId, String name) {
		Snapshot snapshot = read(runId).orElseThrow(() -> missing(runId, name));
		boolean listed = snapshot.tables().stream().anyMatch(table -> table.file().equals(name));
		if (!listed) {
			throw missing(runId, name);
		}
		if (snapshot.expired()) {
			throw new NotFoundException("snapshot.expired",
					"Snapshot #" + runId + " expired: its files were deleted by retention.", runId);
		}
		Path file = this.executor.folder(runId).resolve(name);
		if (!Files.isRegularFile(file)) {
			throw new NotFoundException("snapshot.elsewhere",
					"The file " + name + " of snapshot #" + runId
							+ " is not in this instance's data directory (snapshots are kept where they were taken).",
					name, runId);
		}
		return file;
	}

	private static NotFoundException missing(long runId, String name) {
		return new NotFoundException("snapshot.noFile", "Snapshot #" + runId + " has no file " + name + ".", runId,
				name);
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public int expire() {
		Instant now = this.clock.instant();
		OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
		List<Long> old = this.store.sql("""
				SELECT run_id FROM snapshot_tables WHERE expired_at IS NULL
				GROUP BY run_id HAVING min(copied_at) < ? ORDER BY run_id
				""")
			.param(OffsetDateTime.ofInstant(now.minus(this.retention), ZoneOffset.UTC))
			.query(Long.class)
			.list();
		// a run that did not succeed is no snapshot: its files go at once
		List<Long> unfinished = this.store.sql("""
				SELECT DISTINCT st.run_id FROM snapshot_tables st JOIN runs r ON r.id = st.run_id
				WHERE st.expired_at IS NULL AND r.state IN ('failed', 'cancelled') ORDER BY st.run_id
				""").query(Long.class).list();
		Set<Long> runs = new LinkedHashSet<>(old);
		runs.addAll(unfinished);
		for (Long run : runs) {
			delete(this.executor.folder(run));
			this.store.sql("UPDATE snapshot_tables SET expired_at = ? WHERE run_id = ? AND expired_at IS NULL")
				.params(at, run)
				.update();
			if (old.contains(run)) {
				this.events.publishEvent(new SnapshotExpired(run, now));
			}
		}
		if (!runs.isEmpty()) {
			log.info("Snapshots expired: {} (their files were deleted)", runs);
		}
		return old.size();
	}

	private static void delete(Path folder) {
		if (!Files.isDirectory(folder)) {
			return;
		}
		try (Stream<Path> files = Files.walk(folder)) {
			for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Deleting " + folder + " failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	public Restore restore(SnapshotTable table) {
		Path file = this.executor.folder(table.runId()).resolve(table.file()).toAbsolutePath();
		return switch (table.engine()) {
			case "sqlite" -> new Restore("jdbc:sqlite:" + file, null, null);
			case "h2" -> new Restore(
					H2Copies.url(file
						.resolveSibling(table.file().substring(0, table.file().length() - H2Copies.SUFFIX.length()))),
					H2Copies.READER, null);
			default -> {
				String restoreTable = "restore_" + table.table();
				String quoted = "\"" + restoreTable.replace("\"", "\"\"") + "\"";
				yield new Restore(null, null, "CREATE TABLE " + quoted + " (" + table.columns() + ");\n" + "\\copy "
						+ quoted + " FROM PROGRAM 'gzip -dc " + file.toString().replace("'", "''") + "'");
			}
		};
	}

	@Override
	public Map<String, Object> of(RunView run) {
		if (!"snapshot".equals(run.kind())) {
			return Map.of();
		}
		return Map.of("snapshotTables", tables(run.id()));
	}

	private Optional<Snapshot> read(long runId) {
		List<SnapshotTable> tables = tables(runId);
		if (tables.isEmpty()) {
			return Optional.empty();
		}
		String phase = this.store.sql("SELECT phase FROM runs WHERE id = ?").param(runId).query(String.class).single();
		Instant taken = tables.stream().map(SnapshotTable::copiedAt).min(Comparator.naturalOrder()).orElseThrow();
		Instant expiredAt = tables.stream()
			.map(SnapshotTable::expiredAt)
			.filter(t -> t != null)
			.findFirst()
			.orElse(null);
		Map<String, List<String>> byFile = new LinkedHashMap<>();
		Map<String, Long> recorded = new LinkedHashMap<>();
		for (SnapshotTable table : tables) {
			byFile.computeIfAbsent(table.file(), name -> new ArrayList<>()).add(table.table());
			// the size when the file's last table was written: what another instance's
			// file measured
			recorded.put(table.file(), table.bytes());
		}
		List<Snapshot.SnapshotFile> files = new ArrayList<>();
		if (expiredAt == null) {
			Path folder = this.executor.folder(runId);
			byFile.forEach((name, held) -> files.add(new Snapshot.SnapshotFile(name,
					Files.exists(folder.resolve(name)) ? TableCopies.size(folder.resolve(name)) : recorded.get(name),
					held)));
		}
		return Optional.of(new Snapshot(runId, tables.get(0).plan(), phase, taken, taken.plus(this.retention),
				expiredAt, files, files.stream().mapToLong(Snapshot.SnapshotFile::bytes).sum(), tables));
	}

	private List<SnapshotTable> tables(long runId) {
		return this.store.sql("SELECT " + COLUMNS + " FROM snapshot_tables st WHERE st.run_id = ? ORDER BY st.seq")
			.param(runId)
			.query(StoredSnapshots::table)
			.list();
	}

	private static SnapshotTable table(ResultSet rs, int row) throws SQLException {
		OffsetDateTime expired = rs.getObject(14, OffsetDateTime.class);
		return new SnapshotTable(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
				rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9), rs.getString(10), rs.getString(11),
				rs.getLong(12), rs.getObject(13, OffsetDateTime.class).toInstant(),
				expired == null ? null : expired.toInstant());
	}

}
