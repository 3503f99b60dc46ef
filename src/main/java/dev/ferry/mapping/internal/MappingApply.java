package dev.ferry.mapping.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionService;
import dev.ferry.importing.Imports;
import dev.ferry.importing.RowsImport;
import dev.ferry.mapping.MappingService;
import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunCounts;
import dev.ferry.run.RunMode;

import org.springframework.stereotype.Component;

/**
 * Apply and rollback of a mapping phase: the map goes into the phase's {@code into} table
 * through the import's machinery, with the same promises. The apply first compares the
 * map as it stands (the dry run's {@code auto} items and the standing picks,
 * {@link MapRows}) with the table by old key, as an import's dry run does, writing
 * nothing: the rows to insert, to update and to delete (a row whose old record no longer
 * maps) become the apply's own change set. Then it writes that change set in batches
 * exactly as an import apply does: each row checked against its before-image, every
 * before-image in the undo ledger, each batch once. Rollback is an import's rollback:
 * newest batch first, then the table's checksum compared with the one taken right before
 * the apply.
 */
@Component
class MappingApply implements PhaseExecutor {

	/**
	 * The checkpoints of the writing stage start with this; the comparing stage's do not.
	 */
	private static final String WRITING = "write:";

	/** How the map's source is named in messages. */
	private static final String STORE = "Ferry's store";

	/** What the rows the import compares and writes are called in the run's log. */
	private static final String MAP = "map";

	private final PhaseExecutor compare;

	private final PhaseExecutor write;

	private final Imports imports;

	private final MappingService mappings;

	private final ConnectionService connections;

	private final DataSource store;

	private final Map<Long, RowsImport> contexts = new ConcurrentHashMap<>();

	private final dev.ferry.lifecycle.PhaseLifecycle lifecycle;

	MappingApply(Imports imports, MappingService mappings, ConnectionService connections, DataSource store,
			dev.ferry.lifecycle.PhaseLifecycle lifecycle) {
		this.lifecycle = lifecycle;
		this.imports = imports;
		this.compare = imports.comparison();
		this.write = imports.writing();
		this.mappings = mappings;
		this.connections = connections;
		this.store = store;
	}

	@Override
	public boolean supports(PhaseSpec phase, RunMode mode) {
		return phase instanceof MappingPhase && (mode == RunMode.APPLY || mode == RunMode.ROLLBACK);
	}

	@Override
	public Long total(RunContext run) {
		RowsImport map = context(run);
		if (run.mode() == RunMode.ROLLBACK) {
			return this.write.total(map);
		}
		MappingPhase phase = (MappingPhase) run.phase();
		// what is written must be what was approved: a decision since then stops it here
		String approved = this.lifecycle.status(run.plan().plan(), phase.id()).approvedSha256();
		String now = this.mappings.decisionsSha256(run.plan().plan(), phase.id());
		if (approved != null && !approved.equals(now)) {
			throw new IllegalStateException("The decisions of phase " + phase.id() + " changed since they were approved"
					+ " (sha256 " + approved + ", now " + now + "): nothing was written; review them, then approve"
					+ " and apply again.");
		}
		run.log(String.format(Locale.ROOT,
				"First the map (the items of dry run #%d with the decisions standing now) is compared with %s on "
						+ "%s by %s, writing nothing; then the rows that differ are written in batches of %,d.",
				mappingRun(run), phase.into().table(), run.plan().spec().target(), phase.into().oldColumn(),
				((ImportPhase) map.phase()).batchSize()));
		return this.compare.total(map);
	}

	/** The comparison writes nothing to the target: only the writing batches stand. */
	@Override
	public boolean wroteTarget(RunContext run, String lastCheckpoint) {
		return lastCheckpoint != null && lastCheckpoint.startsWith(WRITING);
	}

	@Override
	public BatchOutcome runBatch(RunContext run, String checkpoint) {
		RowsImport map = context(run);
		if (run.mode() == RunMode.ROLLBACK) {
			return this.write.runBatch(map, checkpoint);
		}
		if (checkpoint != null && checkpoint.startsWith(WRITING)) {
			BatchOutcome written = this.write.runBatch(map, checkpoint.substring(WRITING.length()));
			return new BatchOutcome(WRITING + written.checkpoint(), written.units(), written.counts(),
					written.finished());
		}
		// the comparison's counts are what the apply will do, not what it did: only its
		// progress is reported
		BatchOutcome compared = this.compare.runBatch(map, checkpoint);
		if (!compared.finished()) {
			return new BatchOutcome(compared.checkpoint(), compared.units(), RunCounts.NONE, false);
		}
		this.compare.close(map);
		// takes the table's checksum before anything is written
		long changeRows = this.write.total(map);
		run.startOver(changeRows, String.format(Locale.ROOT, "The map differs from %s in %,d row(s): writing them now.",
				((ImportPhase) map.phase()).table(), changeRows));
		return new BatchOutcome(WRITING + "0", 0, RunCounts.NONE, false);
	}

	@Override
	public void close(RunContext run) {
		RowsImport map = this.contexts.remove(run.runId());
		if (map != null) {
			try {
				this.compare.close(map);
			}
			finally {
				this.write.close(map);
			}
		}
	}

	private RowsImport context(RunContext run) {
		return this.contexts.computeIfAbsent(run.runId(), id -> {
			// a rollback reads the ledger only; the map is not read
			MapRows rows = (run.mode() == RunMode.APPLY)
					? new MapRows(this.store, run.plan().plan(), run.phase().id(), mappingRun(run)) : null;
			return new RowsImport(run, asImport(run), rows, MAP);
		});
	}

	/** The mapping dry run whose items an apply writes (for a rollback: its apply's). */
	private long mappingRun(RunContext run) {
		long apply = (run.mode() == RunMode.ROLLBACK) ? run.rollsBack()
			.orElseThrow(() -> new IllegalStateException(
					"Rollback #" + run.runId() + " does not say which apply it undoes."))
				: run.runId();
		return run.appliesRun()
			.orElseThrow(() -> new IllegalStateException(
					"Apply #" + apply + " does not say which mapping dry run it writes."));
	}

	/**
	 * The map as an import: the map's rows ({@link MapRows}) into the {@code into} table,
	 * keyed by its old column, the key columns typed as the table types them, and with
	 * delete-missing (the table holds the map, so a row whose old record no longer maps
	 * goes).
	 */
	private ImportPhase asImport(RunContext run) {
		MappingPhase phase = (MappingPhase) run.phase();
		MappingPhase.Into into = phase.into();
		String connection = run.plan().spec().target();
		ConnectionCatalog.Table table = this.connections.catalog(connection)
			.orElseThrow(() -> new RefusedException("run.unreachable",
					"Connection " + connection + " cannot be reached.", connection))
			.table(into.table())
			.orElseThrow(() -> new RefusedException("run.noTable",
					"Table " + into.table() + " does not exist on connection " + connection
							+ ". Apply the phase that creates it first, then apply this one again.",
					into.table(), connection));
		List<String> written = new ArrayList<>(List.of(into.oldColumn(), into.newColumn()));
		if (into.statusColumn() != null) {
			written.add(into.statusColumn());
		}
		if (into.confidenceColumn() != null) {
			written.add(into.confidenceColumn());
		}
		Map<String, ColumnRule.Type> types = columnTypes(connection, table, written);
		Map<String, ColumnRule> columns = new LinkedHashMap<>();
		columns.put(into.oldColumn(), rule(MapRows.OLD, types.get(into.oldColumn()), true));
		columns.put(into.newColumn(), rule(MapRows.NEW, types.get(into.newColumn()), true));
		if (into.statusColumn() != null) {
			columns.put(into.statusColumn(), rule(MapRows.STATUS, ColumnRule.Type.STRING, true));
		}
		if (into.confidenceColumn() != null) {
			columns.put(into.confidenceColumn(), rule(MapRows.CONFIDENCE, ColumnRule.Type.DECIMAL, false));
		}
		return new ImportPhase(phase.id(), STORE, null, into.table(), List.of(into.oldColumn()), columns, true,
				phase.batchSize(), List.of());
	}

	/**
	 * How the table keeps each written column (the map's keys are read as text and
	 * converted to it), after checking that the table has them all.
	 */
	private Map<String, ColumnRule.Type> columnTypes(String connection, ConnectionCatalog.Table table,
			List<String> names) {
		List<String> dbNames = new ArrayList<>();
		for (String name : names) {
			dbNames.add(table.column(name)
				.map(ConnectionCatalog.Column::name)
				.orElseThrow(() -> new RefusedException("run.noColumn", "Table " + table.name() + " on " + connection
						+ " has no column " + name + ", which the mapping's into: names.", table.name(), connection,
						name)));
		}
		List<ColumnRule.Type> types = List.copyOf(this.imports.columnTypes(connection, table.name(), dbNames).values());
		Map<String, ColumnRule.Type> byName = new LinkedHashMap<>();
		for (int i = 0; i < names.size(); i++) {
			byName.put(names.get(i), types.get(i));
		}
		return byName;
	}

	private static ColumnRule rule(String from, ColumnRule.Type type, boolean required) {
		return new ColumnRule(from, type, null, List.of(), List.of(), required, null);
	}

}
