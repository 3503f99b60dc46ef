package dev.ferry.importing.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.StoredChange;
import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.RefusedException;
import dev.ferry.importing.RowsImport;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunCounts;
import dev.ferry.run.RunMode;
import dev.ferry.security.SystemActor;

import org.springframework.stereotype.Component;

/**
 * Apply and rollback of an import phase. Apply replays the stored change set of the dry
 * run it was requested for, {@code batch-size} change rows at a time, never recomputing
 * it: in one target transaction per batch it checks every row against the dry run's
 * before-image (an insert's key must still be absent), keeps the before-image of every
 * row it touches in the undo ledger, writes the rows and records the batch in the
 * target's batch ledger, so a batch is written once however often Ferry restarts. A row
 * that changed since the dry run is a conflict: the batch is rolled back and the run
 * fails naming the keys. A batch goes to PostgreSQL through {@link StagedBatch} (COPY),
 * to H2 and SQLite through {@link RowByRowBatch}. Rollback is {@link ImportRollback}'s:
 * this executor hands it the run's target and transaction.
 */
@Component
class ImportApply implements PhaseExecutor {

	/** PostgreSQL's SQLState for a duplicate key. */
	private static final String UNIQUE_VIOLATION = "23505";

	private final ConnectionService connections;

	private final ChangeSetService changeSets;

	private final ImportRollback rollback;

	private final Clock clock;

	/**
	 * Each running apply's or rollback's target, read once from the connection's catalog
	 * (which opens a connection and reads every table) instead of once a batch; dropped
	 * when the run ends or is handed back.
	 */
	private final Map<Long, ApplyTarget> targets = new ConcurrentHashMap<>();

	/** Where each running apply finds the plan's columns in its change rows. */
	private final Map<Long, StagedBatch.Layout> layouts = new ConcurrentHashMap<>();

	/** Each running apply's next page of its change set, read while it writes. */
	private final Map<Long, PageAhead<Page>> pages = new ConcurrentHashMap<>();

	ImportApply(ConnectionService connections, ChangeSetService changeSets, ImportRollback rollback, Clock clock) {
		this.rollback = rollback;
		this.connections = connections;
		this.changeSets = changeSets;
		this.clock = clock;
	}

	@Override
	public boolean supports(PhaseSpec phase, RunMode mode) {
		return phase instanceof ImportPhase && (mode == RunMode.APPLY || mode == RunMode.ROLLBACK);
	}

	@Override
	public void close(RunContext run) {
		this.targets.remove(run.runId());
		this.layouts.remove(run.runId());
		PageAhead<Page> ahead = this.pages.remove(run.runId());
		if (ahead != null) {
			ahead.close();
		}
	}

	@Override
	public Long total(RunContext run) {
		ApplyTarget target = target(run);
		try (Connection connection = target.dataSource().getConnection()) {
			connection.setAutoCommit(true);
			if (run.mode() == RunMode.ROLLBACK) {
				long apply = applyOf(run);
				if (target.postgres()) {
					UndoLedger.summarize(connection, UndoLedger.undoTableName(target.table()), run);
				}
				return UndoLedger.countToUndo(connection, apply, run.runId()) + 1;
			}
			long dryRun = dryRunOf(run);
			ChangeSet changeSet = this.changeSets.sealed(dryRun);
			UndoLedger.ensure(connection);
			String undo = UndoLedger.ensureUndoTable(connection, target.quotedTable(), target.table());
			if (UndoLedger.apply(connection, run.runId()).isEmpty()) {
				String checksum = target.checksum(connection);
				UndoLedger.recordApply(connection, run.runId(), run.plan().plan(), run.phase().id(), dryRun,
						target.table(), undo, checksum, this.clock.instant());
				run.log("Checksum of " + target.table() + " before the apply: " + checksum + ". Before-images go to "
						+ undo + " on " + target.connection() + ".");
			}
			return changeSet.rowCount();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	@Override
	public BatchOutcome runBatch(RunContext run, String checkpoint) {
		ApplyTarget target = target(run);
		try (Connection connection = target.dataSource().getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				BatchOutcome outcome = (run.mode() == RunMode.ROLLBACK)
						? this.rollback.undoBatch(run, target, connection,
								checkpoint == null ? null : Long.parseLong(checkpoint), applyOf(run))
						: applyBatch(run, target, connection, checkpoint == null ? 0 : Long.parseLong(checkpoint));
				connection.commit();
				return outcome;
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	// --- apply --------------------------------------------------------------------

	private BatchOutcome applyBatch(RunContext run, ApplyTarget target, Connection connection, long afterSeq)
			throws SQLException {
		ImportPhase phase = (ImportPhase) run.phase();
		long dryRun = dryRunOf(run);
		int limit = phase.batchSize();
		Optional<UndoLedger.Batch> committed = UndoLedger.batch(connection, run.runId(), afterSeq);
		if (committed.isPresent()) {
			// the target committed this batch, Ferry's store did not (a crash in between)
			UndoLedger.Batch batch = committed.get();
			run.log(String.format(Locale.ROOT,
					"The batch after change row %d had already been written to %s before the restart; "
							+ "it is not written again.",
					afterSeq, target.table()));
			boolean finished = this.changeSets.stored(dryRun, batch.lastSeq(), 1).isEmpty();
			return new BatchOutcome(String.valueOf(batch.lastSeq()), batch.read(), counts(batch), finished);
		}
		// derived from the table, never read back from the target, so it is always
		// Ferry's name
		String undo = UndoLedger.undoTableName(target.table());
		long read;
		long lastSeq;
		long[] written;
		boolean finished;
		if (target.postgres()) {
			// the rows as stored: their canonical text goes straight into a COPY. Each
			// page is read, and its COPY text written, on a thread of its own while the
			// previous batch goes to the target
			StagedBatch.Layout layout = this.layouts.computeIfAbsent(run.runId(),
					id -> StagedBatch.Layout.of(target, this.changeSets.get(dryRun)));
			PageAhead<Page> ahead = this.pages.computeIfAbsent(run.runId(),
					id -> new PageAhead<>(
							after -> SystemActor.call(() -> page(target, layout, id, dryRun, after, limit, undo)),
							"ferry-apply-" + id + "-read"));
			Page page = ahead.take(afterSeq);
			finished = page.last();
			if (page.rows().isEmpty()) {
				return BatchOutcome.last(0, RunCounts.NONE);
			}
			lastSeq = page.rows().get(page.rows().size() - 1).seq();
			if (!finished) {
				ahead.readAhead(lastSeq);
			}
			if (page.copy() != null) {
				written = copyInserts(run, target, connection, afterSeq, page, layout, undo, dryRun);
			}
			else {
				written = StagedBatch.write(target, connection, run.runId(), afterSeq, page.writes(), layout, undo,
						dryRun);
			}
			read = page.rows().size();
		}
		else {
			ChangePage page = this.changeSets.changes(dryRun, ChangeFilter.ALL,
					afterSeq == 0 ? null : String.valueOf(afterSeq), limit);
			finished = page.next() == null;
			if (page.items().isEmpty()) {
				return BatchOutcome.last(0, RunCounts.NONE);
			}
			List<Change> writes = page.items().stream().filter(change -> change.op() != ChangeOp.REJECTED).toList();
			written = RowByRowBatch.write(target, connection, run.runId(), afterSeq, writes, undo, dryRun);
			read = page.items().size();
			lastSeq = page.items().get(page.items().size() - 1).seq();
		}
		long rejected = read - written[0] - written[1] - written[2];
		UndoLedger.Batch batch = new UndoLedger.Batch(afterSeq, lastSeq, read, written[0], written[1], written[2],
				rejected);
		UndoLedger.recordBatch(connection, run.runId(), batch, this.clock.instant());
		if (finished) {
			run.log((run instanceof RowsImport rows)
					? "Wrote the " + rows.name() + "'s change set to " + target.table() + "." : String
						.format(Locale.ROOT, "Applied the change set of dry run #%d to %s.", dryRun, target.table()));
		}
		return new BatchOutcome(String.valueOf(lastSeq), read, counts(batch), finished);
	}

	/**
	 * Copies an insert-only batch straight into the table; if a key already exists, rolls
	 * that back and writes the batch through the staging table, whose drift check names
	 * the conflicting keys.
	 */
	private static long[] copyInserts(RunContext run, ApplyTarget target, Connection connection, long afterSeq,
			Page page, StagedBatch.Layout layout, String undo, long dryRun) throws SQLException {
		try {
			return StagedBatch.copyInserts(target, connection, afterSeq, page.copy());
		}
		catch (SQLException ex) {
			if (!UNIQUE_VIOLATION.equals(ex.getSQLState())) {
				throw ex;
			}
			// nothing of the batch was written before the COPY (the ledger check only
			// reads)
			connection.rollback();
			return StagedBatch.write(target, connection, run.runId(), afterSeq, page.writes(), layout, undo, dryRun);
		}
	}

	/**
	 * A page of the change set after {@code afterSeq} as the apply writes it: an
	 * insert-only page into a table whose key is unique comes with its COPY text.
	 */
	private Page page(ApplyTarget target, StagedBatch.Layout layout, long runId, long dryRun, long afterSeq, int limit,
			String undo) {
		List<StoredChange> rows = this.changeSets.stored(dryRun, afterSeq, limit + 1);
		boolean last = rows.size() <= limit;
		rows = last ? rows : rows.subList(0, limit);
		List<StoredChange> writes = rows.stream().filter(change -> change.op() != ChangeOp.REJECTED).toList();
		StagedBatch.InsertCopy copy = (target.keyUnique() && !writes.isEmpty()
				&& writes.stream().allMatch(change -> change.op() == ChangeOp.INSERT))
						? StagedBatch.InsertCopy.of(target, layout, runId, afterSeq, writes, undo) : null;
		return new Page(rows, writes, last, copy);
	}

	/**
	 * A page of change rows, those it writes (not the rejected), whether it is the last,
	 * and the COPY text of an insert-only page (or null).
	 */
	private record Page(List<StoredChange> rows, List<StoredChange> writes, boolean last, StagedBatch.InsertCopy copy) {
	}

	// --- shared ---------------------------------------------------------------------

	/**
	 * The run whose change set is applied: the dry run the apply was requested for, or
	 * the run of a {@link RowsImport} itself (it computes its change set first).
	 */
	private long dryRunOf(RunContext run) {
		return run.appliesRun()
			.orElseThrow(() -> new IllegalStateException(
					"Apply #" + run.runId() + " does not say which dry run it applies."));
	}

	private long applyOf(RunContext run) {
		return run.rollsBack()
			.orElseThrow(() -> new IllegalStateException(
					"Rollback #" + run.runId() + " does not say which apply it undoes."));
	}

	private ApplyTarget target(RunContext run) {
		return this.targets.computeIfAbsent(run.runId(), id -> readTarget(run));
	}

	private ApplyTarget readTarget(RunContext run) {
		ImportPhase phase = (ImportPhase) run.phase();
		String connection = run.plan().spec().target();
		ConnectionCatalog catalog = this.connections.catalog(connection)
			.orElseThrow(() -> new RefusedException("run.unreachable",
					"Connection " + connection + " cannot be reached.", connection));
		ConnectionCatalog.Table table = catalog.table(phase.table())
			.orElseThrow(() -> new RefusedException("run.noTable",
					"Table " + phase.table() + " does not exist on connection " + connection + ".", phase.table(),
					connection));
		DataSource dataSource = this.connections.dataSource(connection);
		try (Connection c = dataSource.getConnection()) {
			return ApplyTarget.of(connection, dataSource, c, table, phase);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	private static RunCounts counts(UndoLedger.Batch batch) {
		return new RunCounts(batch.read(), batch.inserted(), batch.updated(), 0, batch.deleted(), batch.rejected(), 0);
	}

}
