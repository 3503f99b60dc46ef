package dev.ferry.importing.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.StoredChange;
import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.RefusedException;
import dev.ferry.importing.RowsImport;
import dev.ferry.preflight.RowChecksum;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.CountedFailure;
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
 * fails naming the keys. Rollback undoes the apply's batches newest first from the
 * ledger, each in one transaction that also marks it undone, then compares the table's
 * checksum with the one taken right before the apply.
 */
@Component
class ImportApply implements PhaseExecutor {

	/** How many conflicting keys a failed apply names; the rest are counted. */
	static final int CONFLICTS_NAMED = 20;

	/** PostgreSQL's SQLState for a duplicate key. */
	private static final String UNIQUE_VIOLATION = "23505";

	private final ConnectionService connections;

	private final ChangeSetService changeSets;

	private final Clock clock;

	/**
	 * Each running apply's or rollback's target, read once from the connection's catalog
	 * (which opens a connection and reads every table) instead of once a batch; dropped
	 * when the run ends or is handed back.
	 */
	private final Map<Long, Target> targets = new ConcurrentHashMap<>();

	/** Where each running apply finds the plan's columns in its change rows. */
	private final Map<Long, StagedBatch.Layout> layouts = new ConcurrentHashMap<>();

	/** Each running apply's next page of its change set, read while it writes. */
	private final Map<Long, PageAhead<Page>> pages = new ConcurrentHashMap<>();

	ImportApply(ConnectionService connections, ChangeSetService changeSets, Clock clock) {
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
		Target target = target(run);
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
				String checksum = checksum(connection, target.quotedTable());
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
		Target target = target(run);
		try (Connection connection = target.dataSource().getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				BatchOutcome outcome = (run.mode() == RunMode.ROLLBACK)
						? undoBatch(run, target, connection, checkpoint == null ? null : Long.parseLong(checkpoint))
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

	private BatchOutcome applyBatch(RunContext run, Target target, Connection connection, long afterSeq)
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
			written = writeRowByRow(target, connection, run.runId(), afterSeq, writes, undo, dryRun);
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
	private static long[] copyInserts(RunContext run, Target target, Connection connection, long afterSeq, Page page,
			StagedBatch.Layout layout, String undo, long dryRun) throws SQLException {
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
	private Page page(Target target, StagedBatch.Layout layout, long runId, long dryRun, long afterSeq, int limit,
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

	/**
	 * Writes a batch statement by statement in JDBC batches (H2, SQLite): drift check by
	 * key, before-images, deletes, updates, inserts, images of the inserted rows.
	 * @return inserted, updated and deleted rows
	 */
	private static long[] writeRowByRow(Target target, Connection connection, long runId, long afterSeq,
			List<Change> writes, String undo, long dryRun) throws SQLException {
		List<String> conflicts = conflicts(target, connection, writes);
		if (!conflicts.isEmpty()) {
			throw new ApplyConflict(conflicts, target.table(), dryRun);
		}
		long inserted = 0;
		long updated = 0;
		long deleted = 0;
		try (PreparedStatement capture = connection.prepareStatement(target.captureSql(undo))) {
			for (Change change : writes) {
				if (change.op() != ChangeOp.INSERT) {
					target.bindCapture(capture, runId, afterSeq, change);
					capture.addBatch();
				}
			}
			capture.executeBatch();
			try (PreparedStatement delete = connection.prepareStatement(target.deleteSql());
					PreparedStatement update = connection.prepareStatement(target.updateSql());
					PreparedStatement insert = connection.prepareStatement(target.insertSql())) {
				for (Change change : writes) {
					switch (change.op()) {
						case DELETE -> {
							target.bindKey(delete, 1, change.key());
							delete.addBatch();
							deleted++;
						}
						case UPDATE -> {
							target.bindUpdate(update, change);
							update.addBatch();
							updated++;
						}
						case INSERT -> {
							target.bindInsert(insert, change);
							insert.addBatch();
							inserted++;
						}
						default -> throw new IllegalStateException(change.op() + " is not written");
					}
				}
				delete.executeBatch();
				update.executeBatch();
				insert.executeBatch();
			}
			// an inserted row's image is the row as written: its undo finds it by key
			for (Change change : writes) {
				if (change.op() == ChangeOp.INSERT) {
					target.bindCapture(capture, runId, afterSeq, change);
					capture.addBatch();
				}
			}
			capture.executeBatch();
		}
		return new long[] { inserted, updated, deleted };
	}

	/**
	 * The rows whose target row is no longer what the dry run saw: an insert whose key
	 * now exists, an update or delete whose row is gone or has another value in a column
	 * of the plan.
	 */
	private static List<String> conflicts(Target target, Connection connection, List<Change> writes)
			throws SQLException {
		List<String> conflicts = new ArrayList<>();
		try (PreparedStatement select = connection.prepareStatement(target.selectSql())) {
			for (Change change : writes) {
				target.bindKey(select, 1, change.key());
				try (ResultSet rs = select.executeQuery()) {
					String conflict = null;
					if (!rs.next()) {
						if (change.op() != ChangeOp.INSERT) {
							conflict = "the row is gone";
						}
					}
					else if (change.op() == ChangeOp.INSERT) {
						conflict = "the dry run found no such row, and now there is one";
					}
					else {
						conflict = target.difference(rs::getObject, change.before());
					}
					if (conflict != null) {
						conflicts.add(keyText(change.key()) + ": " + conflict);
					}
				}
			}
		}
		return conflicts;
	}

	// --- rollback -----------------------------------------------------------------

	/**
	 * Undoes the newest batch not undone yet, after reporting again, one at a time, the
	 * batches this rollback undid in the target that Ferry's store has not recorded.
	 * @param checkpoint where the last batch the store recorded started (null before the
	 * first): batches are undone newest first, so an unrecorded one started before it
	 */
	private BatchOutcome undoBatch(RunContext run, Target target, Connection connection, Long checkpoint)
			throws SQLException {
		long applyRun = applyOf(run);
		UndoLedger.Apply apply = UndoLedger.apply(connection, applyRun)
			.orElseThrow(() -> new IllegalStateException("Apply #" + applyRun + " left no ledger on "
					+ target.connection() + ": there is nothing to undo."));
		Optional<UndoLedger.Batch> undone = UndoLedger.undoneBy(connection, applyRun, run.runId(), checkpoint);
		if (undone.isPresent()) {
			// the target committed this batch's undo, Ferry's store did not (a crash in
			// between): counted as it was undone, not undone again
			UndoLedger.Batch batch = undone.get();
			run.log(String.format(Locale.ROOT,
					"The batch after change row %d had already been undone in %s before the restart; "
							+ "it is not undone again.",
					batch.afterSeq(), target.table()));
			return undoneOutcome(batch.afterSeq(), batch.inserted(), batch.updated(), batch.deleted());
		}
		Optional<UndoLedger.Batch> newest = UndoLedger.newestNotUndone(connection, applyRun);
		if (newest.isEmpty()) {
			String checksum = checksum(connection, target.quotedTable());
			if (!checksum.equals(apply.checksumBefore())) {
				throw new IllegalStateException("Every batch of apply #" + applyRun + " is undone, but the checksum of "
						+ target.table() + " is " + checksum + ", not " + apply.checksumBefore()
						+ " as right before the apply: the table was also changed by something else.");
			}
			run.log("Checksum of " + target.table() + " after the rollback: " + checksum
					+ ", the same as right before apply #" + applyRun + ".");
			run.putResult("checksum", "{\"table\": \"" + target.table().replace("\"", "\\\"") + "\", \"before\": \""
					+ apply.checksumBefore() + "\", \"after\": \"" + checksum + "\", \"same\": true}");
			return BatchOutcome.last(1, RunCounts.NONE);
		}
		UndoLedger.Batch batch = newest.get();
		String undo = UndoLedger.undoTableName(target.table());
		int removed;
		int restored;
		int reinserted;
		if (target.postgres()) {
			// set-based: PostgreSQL joins the batch's before-images with the table. The
			// images are found through the undo table's BRIN index, which the planner
			// passes over for a scan of the whole table when it has no statistics yet
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET LOCAL enable_seqscan = off");
			}
			removed = undo(connection, target.undoInsertsSql(undo), applyRun, batch.afterSeq());
			String updateSql = target.undoUpdatesSql(undo);
			restored = (updateSql == null) ? 0 : undo(connection, updateSql, applyRun, batch.afterSeq());
		}
		else {
			// row by row in JDBC batches, driven by the batch's before-images (a
			// correlated
			// statement would look up the images once per row of the table)
			removed = target.undoRowByRow(connection, undo, applyRun, batch.afterSeq(), "insert");
			restored = target.undoRowByRow(connection, undo, applyRun, batch.afterSeq(), "update");
		}
		reinserted = undo(connection, target.undoDeletesSql(undo), applyRun, batch.afterSeq());
		if (removed != batch.inserted() || restored != batch.updated() || reinserted != batch.deleted()) {
			throw new IllegalStateException(String.format(Locale.ROOT,
					"Undoing the batch after change row %d of apply #%d would remove %d, restore %d and re-insert %d "
							+ "row(s) of %s, but the batch inserted %d, updated %d and deleted %d: the table has "
							+ "changed since the apply, so nothing was undone.",
					batch.afterSeq(), applyRun, removed, restored, reinserted, target.table(), batch.inserted(),
					batch.updated(), batch.deleted()));
		}
		UndoLedger.markUndone(connection, applyRun, batch.afterSeq(), run.runId(), this.clock.instant());
		return undoneOutcome(batch.afterSeq(), removed, restored, reinserted);
	}

	/**
	 * One undone batch: the rows it removed (the apply's inserts), restored (updates) and
	 * re-inserted (deletes).
	 */
	private static BatchOutcome undoneOutcome(long afterSeq, long removed, long restored, long reinserted) {
		return new BatchOutcome(String.valueOf(afterSeq), 1,
				new RunCounts(removed + restored + reinserted, reinserted, restored, 0, removed, 0, 0), false);
	}

	private static int undo(Connection connection, String sql, long applyRun, long afterSeq) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setLong(1, applyRun);
			statement.setLong(2, afterSeq);
			return statement.executeUpdate();
		}
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

	private Target target(RunContext run) {
		return this.targets.computeIfAbsent(run.runId(), id -> readTarget(run));
	}

	private Target readTarget(RunContext run) {
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
			return Target.of(connection, dataSource, c, table, phase);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	/**
	 * The table's order-independent checksum, streamed: PostgreSQL's driver streams only
	 * with a fetch size inside a transaction, so the read runs in one (and leaves the
	 * connection's transaction mode as it found it).
	 */
	private static String checksum(Connection connection, String quotedTable) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY,
				ResultSet.CONCUR_READ_ONLY)) {
			statement.setFetchSize(ImportReaders.FETCH_SIZE);
			try (ResultSet rs = statement.executeQuery("SELECT * FROM " + quotedTable)) {
				int[] order = RowChecksum.columnOrder(rs.getMetaData());
				RowChecksum checksum = new RowChecksum();
				while (rs.next()) {
					checksum.add(rs, order);
				}
				return checksum.unordered();
			}
		}
		finally {
			if (autoCommit) {
				connection.commit();
				connection.setAutoCommit(true);
			}
		}
	}

	private static RunCounts counts(UndoLedger.Batch batch) {
		return new RunCounts(batch.read(), batch.inserted(), batch.updated(), 0, batch.deleted(), batch.rejected(), 0);
	}

	static String keyText(Map<String, Object> key) {
		List<String> parts = new ArrayList<>();
		key.forEach((column, value) -> parts.add(column + " " + value));
		return String.join(", ", parts);
	}

	/** The values of a target row read by the plan's columns, from 1. */
	@FunctionalInterface
	interface Row {

		Object getObject(int column) throws SQLException;

	}

	/** A batch refused because rows changed since the dry run; names the first keys. */
	static final class ApplyConflict extends IllegalStateException implements CountedFailure {

		private final long conflicts;

		ApplyConflict(List<String> conflicts, String table, long dryRun) {
			super(message(conflicts, table, dryRun));
			this.conflicts = conflicts.size();
		}

		@Override
		public RunCounts counts() {
			return new RunCounts(0, 0, 0, 0, 0, 0, this.conflicts);
		}

		private static String message(List<String> conflicts, String table, long dryRun) {
			StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
					"Conflict: %d row(s) of %s changed since dry run #%d, so this batch was not written (nothing of "
							+ "it remains): ",
					conflicts.size(), table, dryRun));
			text.append(String.join("; ", conflicts.subList(0, Math.min(CONFLICTS_NAMED, conflicts.size()))));
			if (conflicts.size() > CONFLICTS_NAMED) {
				text.append(String.format(Locale.ROOT, "; and %d more", conflicts.size() - CONFLICTS_NAMED));
			}
			return text.append(". Run a new dry run, review it and apply that.").toString();
		}

	}

	/**
	 * The target table of an import as SQL: its quoted name, the plan's columns and key
	 * as the database names them, all its columns (for the before-images), and the
	 * statements of a batch.
	 */
	record Target(String connection, DataSource dataSource, String table, String quotedTable, List<String> planColumns,
			List<String> quotedPlanColumns, List<ColumnRule.Type> types, List<String> keyColumns,
			List<String> quotedKeyColumns, List<ColumnRule.Type> keyTypes, List<String> quotedAllColumns,
			List<String> quotedNonKeyColumns, ImportRules rules, boolean postgres, boolean locksRows,
			boolean keyUnique) {

		static Target of(String connection, DataSource dataSource, Connection c, ConnectionCatalog.Table table,
				ImportPhase phase) throws SQLException {
			ImportRules rules = ImportRules.of(phase);
			List<String> planColumns = rules.targetColumns();
			List<String> quotedPlan = new ArrayList<>();
			List<String> dbNames = new ArrayList<>();
			List<ColumnRule.Type> types = new ArrayList<>();
			for (int i = 0; i < planColumns.size(); i++) {
				String name = planColumns.get(i);
				String dbName = table.column(name)
					.map(ConnectionCatalog.Column::name)
					.orElseThrow(() -> new IllegalStateException(
							"Table " + table.name() + " on " + connection + " has no column " + name + "."));
				quotedPlan.add(ConnectionKind.quote(c, dbName));
				dbNames.add(dbName);
				types.add(rules.type(i));
			}
			List<String> quotedKey = new ArrayList<>();
			List<ColumnRule.Type> keyTypes = new ArrayList<>();
			List<String> keyDbNames = new ArrayList<>();
			for (int index : rules.keyIndexes()) {
				quotedKey.add(quotedPlan.get(index));
				keyDbNames.add(dbNames.get(index));
				keyTypes.add(types.get(index));
			}
			String quotedTable = ConnectionKind.quote(c, table.name());
			List<String> all = new ArrayList<>();
			List<String> nonKey = new ArrayList<>();
			for (String name : UndoLedger.columns(c, quotedTable)) {
				String quoted = ConnectionKind.quote(c, name);
				all.add(quoted);
				if (!quotedKey.contains(quoted)) {
					nonKey.add(quoted);
				}
			}
			boolean postgres = (ConnectionKind.of(c) == ConnectionKind.POSTGRESQL);
			return new Target(connection, dataSource, table.name(), quotedTable, planColumns, quotedPlan, types,
					rules.keyColumns(), quotedKey, keyTypes, all, nonKey, rules, postgres,
					// SQLite has no row locks (nor FOR UPDATE): its writers take turns
					// anyway
					ConnectionKind.of(c) != ConnectionKind.SQLITE,
					postgres && StagedBatch.keyIsUnique(c, quotedTable, keyDbNames));
		}

		private String keyCondition(String alias) {
			List<String> terms = new ArrayList<>();
			for (String column : this.quotedKeyColumns) {
				terms.add((alias == null ? "" : alias + ".") + column + " = ?");
			}
			return String.join(" AND ", terms);
		}

		private String keyJoin(String left, String right) {
			List<String> terms = new ArrayList<>();
			for (String column : this.quotedKeyColumns) {
				terms.add(left + "." + column + " = " + right + "." + column);
			}
			return String.join(" AND ", terms);
		}

		/**
		 * Reads a row for the drift check and locks it, so nobody changes it between the
		 * check and the write.
		 */
		String selectSql() {
			return "SELECT " + String.join(", ", this.quotedPlanColumns) + " FROM " + this.quotedTable + " WHERE "
					+ keyCondition(null) + (this.locksRows ? " FOR UPDATE" : "");
		}

		String captureSql(String undo) {
			return "INSERT INTO " + undo + " (ferry_run_id, ferry_after_seq, ferry_seq, ferry_op, "
					+ String.join(", ", this.quotedAllColumns) + ") SELECT ?, ?, ?, ?, "
					+ String.join(", ", this.quotedAllColumns) + " FROM " + this.quotedTable + " WHERE "
					+ keyCondition(null);
		}

		String deleteSql() {
			return "DELETE FROM " + this.quotedTable + " WHERE " + keyCondition(null);
		}

		String updateSql() {
			List<String> sets = new ArrayList<>();
			for (String column : this.quotedPlanColumns) {
				if (!this.quotedKeyColumns.contains(column)) {
					sets.add(column + " = ?");
				}
			}
			if (sets.isEmpty()) {
				// a plan of key columns only has no update; a harmless statement keeps
				// the
				// batch uniform
				sets.add(this.quotedKeyColumns.get(0) + " = " + this.quotedKeyColumns.get(0));
			}
			return "UPDATE " + this.quotedTable + " SET " + String.join(", ", sets) + " WHERE " + keyCondition(null);
		}

		String insertSql() {
			return "INSERT INTO " + this.quotedTable + " (" + String.join(", ", this.quotedPlanColumns) + ") VALUES ("
					+ String.join(", ", this.quotedPlanColumns.stream().map(c -> "?").toList()) + ")";
		}

		private String batchImages(String op) {
			return "u.ferry_run_id = ? AND u.ferry_after_seq = ? AND u.ferry_op = '" + op + "'";
		}

		/** PostgreSQL: deletes the rows the batch inserted, joined by key. */
		String undoInsertsSql(String undo) {
			return "DELETE FROM " + this.quotedTable + " t USING " + undo + " u WHERE " + batchImages("insert")
					+ " AND " + keyJoin("u", "t");
		}

		/**
		 * PostgreSQL: restores every column but the key of the rows the batch updated;
		 * null when the table has no other column.
		 */
		String undoUpdatesSql(String undo) {
			if (this.quotedNonKeyColumns.isEmpty()) {
				return null;
			}
			List<String> sets = this.quotedNonKeyColumns.stream().map(c -> c + " = u." + c).toList();
			return "UPDATE " + this.quotedTable + " t SET " + String.join(", ", sets) + " FROM " + undo + " u WHERE "
					+ batchImages("update") + " AND " + keyJoin("u", "t");
		}

		/**
		 * Undoes the batch's inserts (deletes them) or updates (restores every column but
		 * the key) one row at a time, in JDBC batches, with the values of the
		 * before-images in the table's own types.
		 * @return the rows undone
		 */
		int undoRowByRow(Connection connection, String undo, long applyRun, long afterSeq, String op)
				throws SQLException {
			boolean update = op.equals("update");
			if (update && this.quotedNonKeyColumns.isEmpty()) {
				return 0;
			}
			List<String> read = new ArrayList<>(update ? this.quotedNonKeyColumns : List.of());
			read.addAll(this.quotedKeyColumns);
			String write = update
					? "UPDATE " + this.quotedTable + " SET "
							+ String.join(", ", this.quotedNonKeyColumns.stream().map(c -> c + " = ?").toList())
							+ " WHERE " + keyCondition(null)
					: "DELETE FROM " + this.quotedTable + " WHERE " + keyCondition(null);
			int undone = 0;
			try (PreparedStatement images = connection
				.prepareStatement("SELECT " + String.join(", ", read.stream().map(c -> "u." + c).toList()) + " FROM "
						+ undo + " u WHERE " + batchImages(op));
					PreparedStatement statement = connection.prepareStatement(write)) {
				images.setLong(1, applyRun);
				images.setLong(2, afterSeq);
				images.setFetchSize(1000);
				try (ResultSet rs = images.executeQuery()) {
					while (rs.next()) {
						for (int i = 1; i <= read.size(); i++) {
							statement.setObject(i, rs.getObject(i));
						}
						statement.addBatch();
						undone++;
					}
				}
				int[] counts = statement.executeBatch();
				int changed = 0;
				for (int count : counts) {
					changed += (count == Statement.SUCCESS_NO_INFO) ? 1 : count;
				}
				return Math.min(undone, changed);
			}
		}

		String undoDeletesSql(String undo) {
			List<String> source = this.quotedAllColumns.stream().map(c -> "u." + c).toList();
			return "INSERT INTO " + this.quotedTable + " (" + String.join(", ", this.quotedAllColumns) + ") SELECT "
					+ String.join(", ", source) + " FROM " + undo
					+ " u WHERE u.ferry_run_id = ? AND u.ferry_after_seq = ? AND u.ferry_op = 'delete'";
		}

		void bindCapture(PreparedStatement capture, long runId, long afterSeq, Change change) throws SQLException {
			capture.setLong(1, runId);
			capture.setLong(2, afterSeq);
			capture.setLong(3, change.seq());
			capture.setString(4, change.op().code());
			bindKey(capture, 5, change.key());
		}

		/** Binds the key values from {@code first} on; returns the next index. */
		int bindKey(PreparedStatement statement, int first, Map<String, Object> key) throws SQLException {
			int index = first;
			for (int k = 0; k < this.keyColumns.size(); k++) {
				bind(statement, index++, key.get(this.keyColumns.get(k)), this.keyTypes.get(k));
			}
			return index;
		}

		void bindUpdate(PreparedStatement update, Change change) throws SQLException {
			int index = 1;
			for (int i = 0; i < this.planColumns.size(); i++) {
				if (!this.quotedKeyColumns.contains(this.quotedPlanColumns.get(i))) {
					bind(update, index++, change.after().get(this.planColumns.get(i)), this.types.get(i));
				}
			}
			bindKey(update, index, change.key());
		}

		void bindInsert(PreparedStatement insert, Change change) throws SQLException {
			for (int i = 0; i < this.planColumns.size(); i++) {
				bind(insert, i + 1, change.after().get(this.planColumns.get(i)), this.types.get(i));
			}
		}

		/**
		 * How the target row differs from the dry run's before-image in the plan's
		 * columns, or null when it does not.
		 */
		String difference(Row row, Map<String, Object> before) throws SQLException {
			return difference(row, i -> {
				Object then = before.get(this.planColumns.get(i));
				return (then == null) ? null : ImportRules.text(then);
			});
		}

		/**
		 * How the target row differs from a before-image given as the canonical text of
		 * each plan column, or null when it does not.
		 */
		String difference(Row row, java.util.function.IntFunction<String> before) throws SQLException {
			for (int i = 0; i < this.planColumns.size(); i++) {
				String now = ImportRules.text(this.rules.fromTarget(i, row.getObject(i + 1)));
				String was = before.apply(i);
				if (!Objects.equals(now, was)) {
					return this.planColumns.get(i) + " was " + shown(was) + " in the dry run, is " + shown(now)
							+ " now";
				}
			}
			return null;
		}

		private static String shown(String value) {
			return value == null ? "NULL" : '"' + value + '"';
		}

		/**
		 * A change-set value (typed as the change set serves it) as the column's type.
		 */
		static void bind(PreparedStatement statement, int index, Object value, ColumnRule.Type type)
				throws SQLException {
			if (value == null) {
				statement.setNull(index, switch (type) {
					case INTEGER -> Types.BIGINT;
					case DECIMAL -> Types.NUMERIC;
					case BOOLEAN -> Types.BOOLEAN;
					case DATE -> Types.DATE;
					case TIMESTAMP -> Types.TIMESTAMP;
					case STRING -> Types.VARCHAR;
				});
				return;
			}
			switch (type) {
				case INTEGER -> {
					if (value instanceof Long number) {
						statement.setLong(index, number);
					}
					else if (value instanceof BigInteger number) {
						statement.setBigDecimal(index, new BigDecimal(number));
					}
					else {
						statement.setBigDecimal(index, new BigDecimal(value.toString()));
					}
				}
				case DECIMAL -> statement.setBigDecimal(index,
						(value instanceof BigDecimal number) ? number : new BigDecimal(value.toString()));
				case BOOLEAN -> statement.setBoolean(index,
						(value instanceof Boolean flag) ? flag : Boolean.parseBoolean(value.toString()));
				case DATE -> statement.setObject(index, LocalDate.parse(value.toString()));
				case TIMESTAMP -> statement.setObject(index, LocalDateTime.parse(value.toString()));
				case STRING -> statement.setString(index, value.toString());
			}
		}

	}

}
