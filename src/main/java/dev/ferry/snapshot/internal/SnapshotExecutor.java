package dev.ferry.snapshot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.SnapshotPhase;
import dev.ferry.plan.spec.TableRef;
import dev.ferry.problem.ErrorWords;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunCounts;
import dev.ferry.run.RunMode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The snapshot phase's run: one batch per unit of copying (a SQLite connection's tables
 * together, as {@code VACUUM INTO} copies them; an H2 or PostgreSQL table alone), each
 * recorded in {@code snapshot_tables} in the batch's transaction. A batch started again
 * after a restart writes its files again from the start. A copy that does not match its
 * live table fails the run: a snapshot is either exact or not kept.
 */
@Component
class SnapshotExecutor implements PhaseExecutor {

	private final ConnectionService connections;

	private final TableCopies copies;

	private final JdbcClient store;

	private final Clock clock;

	private final Path root;

	SnapshotExecutor(ConnectionService connections, TableCopies copies, JdbcClient store, Clock clock,
			@Value("${ferry.data-dir:./data}") Path dataDir) {
		this.connections = connections;
		this.copies = copies;
		this.store = store;
		this.clock = clock;
		this.root = dataDir.resolve("snapshots");
	}

	Path folder(long runId) {
		return this.root.resolve(Long.toString(runId));
	}

	@Override
	public boolean supports(PhaseSpec phase, RunMode mode) {
		return phase instanceof SnapshotPhase && mode == RunMode.DRY_RUN;
	}

	@Override
	public Long total(RunContext run) {
		return (long) units(run).size();
	}

	/** A unit of copying: tables of one connection copied in one batch. */
	record Unit(String connection, ConnectionKind kind, List<TableRef> tables) {
	}

	List<Unit> units(RunContext run) {
		SnapshotPhase phase = (SnapshotPhase) run.phase();
		Map<String, List<TableRef>> byConnection = new LinkedHashMap<>();
		for (TableRef table : phase.tables()) {
			byConnection.computeIfAbsent(table.connection(), key -> new ArrayList<>()).add(table);
		}
		List<Unit> units = new ArrayList<>();
		byConnection.forEach((connection, tables) -> {
			ConnectionKind kind = this.connections.get(connection).kind();
			if (kind == ConnectionKind.SQLITE) {
				units.add(new Unit(connection, kind, tables));
			}
			else {
				tables.forEach(table -> units.add(new Unit(connection, kind, List.of(table))));
			}
		});
		return units;
	}

	@Override
	public BatchOutcome runBatch(RunContext run, String checkpoint) {
		List<Unit> units = units(run);
		int index = (checkpoint == null) ? 0 : Integer.parseInt(checkpoint);
		Unit unit = units.get(index);
		Path folder = folder(run.runId());
		ConnectionCatalog catalog = this.connections.catalog(unit.connection())
			.orElseThrow(() -> new RefusedException("run.unreachable",
					"Connection " + unit.connection() + " cannot be reached.", unit.connection()));
		List<ConnectionCatalog.Table> tables = new ArrayList<>();
		for (TableRef ref : unit.tables()) {
			tables.add(catalog.table(ref.table())
				.orElseThrow(() -> new RefusedException("run.noTable",
						"Table " + ref.table() + " does not exist on connection " + unit.connection() + ".",
						ref.table(), unit.connection())));
		}
		List<TableCopies.Copied> copied;
		try {
			Files.createDirectories(folder);
			copied = copy(unit, tables, folder);
		}
		catch (SQLException | IOException ex) {
			throw new IllegalStateException(
					"Copying " + names(unit) + " of " + unit.connection() + " failed: " + ErrorWords.of(ex), ex);
		}
		int seq = this.store.sql("SELECT count(*) FROM snapshot_tables WHERE run_id = ?")
			.param(run.runId())
			.query(Integer.class)
			.single();
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		for (TableCopies.Copied copy : copied) {
			if (!copy.matches()) {
				throw new IllegalStateException("The copy of " + copy.table() + " on " + unit.connection()
						+ " does not match the live table (copy " + copy.checksum() + ", live " + copy.liveChecksum()
						+ ")"
						+ (unit.kind() == ConnectionKind.SQLITE
								? ": the table changed while it was copied, three times; take the snapshot when "
										+ "nothing writes to it."
								: "."));
			}
			seq++;
			this.store.sql("""
					INSERT INTO snapshot_tables (run_id, seq, plan, connection, table_name, engine, file_name,
					    row_count, checksum, live_checksum, columns_ddl, bytes, copied_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
					""")
				.params(run.runId(), seq, run.plan().plan(), unit.connection(), copy.table(), engine(unit.kind()),
						copy.file(), copy.rows(), copy.checksum(), copy.liveChecksum(), copy.columns(),
						TableCopies.size(folder.resolve(copy.file())), now)
				.update();
			run.log("Copied " + copy.table() + " of " + unit.connection() + " into " + copy.file() + ": "
					+ String.format(Locale.ROOT, "%,d", copy.rows()) + " rows, checksum " + copy.checksum()
					+ ", the same as the live table's.");
		}
		boolean last = index + 1 >= units.size();
		return new BatchOutcome(last ? null : String.valueOf(index + 1), 1, RunCounts.NONE, last);
	}

	private List<TableCopies.Copied> copy(Unit unit, List<ConnectionCatalog.Table> tables, Path folder)
			throws SQLException, IOException {
		return switch (unit.kind()) {
			case SQLITE -> this.copies.sqlite(unit.connection(),
					tables.stream().map(ConnectionCatalog.Table::name).toList(), folder);
			case H2 ->
				List.of(this.copies.h2(unit.connection(), tables.get(0).name(), tables.get(0).primaryKey(), folder));
			case POSTGRESQL -> List.of(this.copies.postgres(unit.connection(), tables.get(0).name(), folder));
		};
	}

	static String engine(ConnectionKind kind) {
		return kind.name().toLowerCase(Locale.ROOT);
	}

	private static String names(Unit unit) {
		return String.join(", ", unit.tables().stream().map(TableRef::table).toList());
	}

}
