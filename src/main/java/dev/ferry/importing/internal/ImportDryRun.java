package dev.ferry.importing.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.ferry.connection.ReadingConnection;
import dev.ferry.connection.ConnectionKind;
import dev.ferry.changeset.ChangeColumn;
import dev.ferry.changeset.ChangeRow;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.ChangeSetTotals;
import dev.ferry.changeset.NewChangeSet;
import dev.ferry.changeset.Rejection;
import dev.ferry.importing.RecordSort;
import dev.ferry.importing.RowsImport;
import dev.ferry.importing.SourceRows;
import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunCounts;
import dev.ferry.run.RunMode;
import dev.ferry.importing.internal.ImportItems.ItemStream;
import dev.ferry.importing.internal.ImportItems.OutOfOrder;
import dev.ferry.importing.internal.ImportItems.SourceItem;
import dev.ferry.importing.internal.ImportItems.TargetItem;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The import phase's dry run: the source query's rows, normalized by the phase's rules,
 * merged by key with the target table's rows, both streamed in key order. Only what would
 * change is kept (in the change set); unchanged rows are counted. It writes nothing to
 * the source or the target: both are read on read-only connections whose transactions are
 * rolled back.
 *
 * <p>
 * The database orders the source when its order is the merge's order (the key columns are
 * read as they are); otherwise, and whenever rows turn out not to come in order, the
 * normalized rows are sorted by {@link RecordSort} first. Cursors stay open between
 * batches; a dry run interrupted by a restart writes nothing, so it starts over.
 */
@Component
class ImportDryRun implements PhaseExecutor {

	private final ConnectionService connections;

	private final ChangeSetService changeSets;

	private final Path workDirectory;

	private final int sortChunkRows;

	/** Source rows per batch: each batch commits its change rows and progress. */
	private final int batchRows;

	private final Map<Long, Cursor> cursors = new ConcurrentHashMap<>();

	ImportDryRun(ConnectionService connections, ChangeSetService changeSets,
			@Value("${ferry.data-dir:./data}") Path dataDir,
			@Value("${ferry.import.sort-chunk-rows:100000}") int sortChunkRows,
			@Value("${ferry.import.dry-run-batch-rows:10000}") int batchRows) {
		this.connections = connections;
		this.changeSets = changeSets;
		this.workDirectory = dataDir.resolve("tmp");
		this.sortChunkRows = sortChunkRows;
		this.batchRows = batchRows;
	}

	@Override
	public boolean supports(PhaseSpec phase, RunMode mode) {
		return phase instanceof ImportPhase && mode == RunMode.DRY_RUN;
	}

	@Override
	public Long total(RunContext run) {
		ImportPhase phase = (ImportPhase) run.phase();
		Plan plan = plan(run, false);
		long rows = count(run);
		return plan.sorted() ? 2 * rows : rows;
	}

	@Override
	public BatchOutcome runBatch(RunContext run, String checkpoint) {
		Cursor cursor = this.cursors.get(run.runId());
		if (cursor == null) {
			if (checkpoint != null) {
				this.changeSets.discard(run.runId());
				run.startOver(total(run), "This dry run was interrupted (Ferry stopped while it ran). A dry run writes "
						+ "nothing, so it starts over from the first row.");
			}
			cursor = open(run, plan(run, false));
		}
		try {
			return cursor.batch(run);
		}
		catch (OutOfOrder ex) {
			if (cursor.plan.sorted()) {
				throw new IllegalStateException(ex.getMessage(), ex);
			}
			// the database's order is not the merge's (a collation, a type): sort instead
			close(run);
			this.changeSets.discard(run.runId());
			Plan sorted = plan(run, true);
			run.startOver(2 * count(run),
					ex.getMessage() + " Ferry sorts the normalized source rows itself and starts over.");
			open(run, sorted);
			return new BatchOutcome("restarted", 0, RunCounts.NONE, false);
		}
	}

	@Override
	public void close(RunContext run) {
		Cursor cursor = this.cursors.remove(run.runId());
		if (cursor != null) {
			cursor.close();
		}
		// a dry run that failed, was cancelled or stopped leaves no report draft behind;
		// tidying up never hides why the run ended
		try {
			this.changeSets.release(run.runId());
		}
		catch (RuntimeException ex) {
			org.slf4j.LoggerFactory.getLogger(ImportDryRun.class)
				.warn("Could not remove the draft of the report files of run {}: {}", run.runId(), ex.getMessage());
		}
	}

	private Cursor open(RunContext run, Plan plan) {
		ImportPhase phase = (ImportPhase) run.phase();
		List<ChangeColumn> columns = new ArrayList<>();
		for (Map.Entry<String, ColumnRule> column : phase.columns().entrySet()) {
			columns.add(new ChangeColumn(column.getKey(), column.getValue().type().yamlName()));
		}
		this.changeSets.begin(new NewChangeSet(run.runId(), run.plan().plan(), run.plan().version(), phase.id(),
				plan.targetConnection(), phase.table(), columns, phase.key()));
		Cursor cursor = new Cursor(run.runId(), plan, phase, this.workDirectory.resolve("run-" + run.runId()));
		this.cursors.put(run.runId(), cursor);
		try {
			cursor.open(this.connections, source(run));
		}
		catch (RuntimeException ex) {
			close(run);
			throw ex;
		}
		run.log(plan.sorted()
				? "Reading the " + sourceWord(run) + " and sorting its normalized rows by key (" + plan.why()
						+ "), then comparing with " + phase.table() + " on " + plan.targetConnection() + "."
				: "Comparing the " + sourceWord(run) + ", in key order, with " + phase.table() + " on "
						+ plan.targetConnection() + ".");
		return cursor;
	}

	/**
	 * The rows compared with the table: the phase's query on its connection, or the rows
	 * another phase kind hands over (a mapping apply's map).
	 */
	private SourceRows source(RunContext run) {
		ImportPhase phase = (ImportPhase) run.phase();
		return (run instanceof RowsImport rows) ? rows.rows()
				: new QueryRows(this.connections.dataSource(phase.connection()), phase.query());
	}

	/** What the rows compared with the table are called in the log. */
	private static String sourceWord(RunContext run) {
		return (run instanceof RowsImport rows) ? rows.name() : "source";
	}

	private long count(RunContext run) {
		ImportPhase phase = (ImportPhase) run.phase();
		try {
			return source(run).count();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("The source query failed on " + phase.connection() + ": " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Works out the two SELECTs of the dry run, checked against what the databases have.
	 */
	private Plan plan(RunContext run, boolean forceSort) {
		ImportPhase phase = (ImportPhase) run.phase();
		ImportRules rules = ImportRules.of(phase);
		String targetConnection = run.plan().spec().target();
		ConnectionCatalog catalog = this.connections.catalog(targetConnection)
			.orElseThrow(() -> new RefusedException("run.unreachable",
					"Connection " + targetConnection + " cannot be reached.", targetConnection));
		ConnectionCatalog.Table table = catalog.table(phase.table())
			.orElseThrow(() -> new RefusedException("run.noTable",
					"Table " + phase.table() + " does not exist on connection " + targetConnection
							+ ". Apply the phase that creates it first, then run this dry run again.",
					phase.table(), targetConnection));
		List<String> targetColumns = new ArrayList<>();
		for (String column : rules.targetColumns()) {
			targetColumns.add(table.column(column)
				.map(ConnectionCatalog.Column::name)
				.orElseThrow(() -> new IllegalStateException("Table " + table.name() + " on " + targetConnection
						+ " has no column " + column + ", which the import writes.")));
		}
		try {
			String targetSql;
			Connection target = ReadingConnection.open(this.connections.dataSource(targetConnection));
			try {
				List<SourceRows.Column> types = ImportSql.columns(target,
						"SELECT " + String.join(", ", quoteAll(target, targetColumns)) + " FROM "
								+ ConnectionKind.quote(target, table.name()) + " WHERE 1 = 0");
				targetSql = ImportReaders.targetQuery(target, table.name(), targetColumns, rules.keyIndexes(), types);
			}
			finally {
				ReadingConnection.release(target);
			}
			SourceRows source = source(run);
			List<SourceRows.Column> returned = source.columns();
			List<SourceRows.Column> order = new ArrayList<>();
			String why = forceSort ? "the source's rows did not come in key order" : null;
			for (int index : rules.keyIndexes()) {
				String name = rules.targetColumns().get(index);
				ColumnRule rule = phase.columns().get(name);
				int column = ImportSql.column(returned, rule.from());
				if (column < 0) {
					throw new IllegalStateException(
							"The source query returns no column " + rule.from() + ", which the key column " + name
									+ " is read from; it returns " + ImportSql.names(returned) + ".");
				}
				if (why == null) {
					why = unordered(name, rule, returned.get(column));
				}
				order.add(returned.get(column));
			}
			return new Plan(returned, why != null ? List.of() : order, targetSql, targetConnection, why != null, why);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Preparing the dry run failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Why the database's order of a key column is not the order of its normalized values,
	 * or null when it is.
	 */
	private static String unordered(String name, ColumnRule rule, SourceRows.Column column) {
		if (!rule.normalize().isEmpty()) {
			return "key column " + name + " is normalized";
		}
		boolean kept = switch (rule.type()) {
			case STRING -> ConnectionKind.text(column.jdbcType());
			case INTEGER, DECIMAL -> ImportSql.numeric(column.jdbcType());
			case BOOLEAN -> column.jdbcType() == java.sql.Types.BOOLEAN || column.jdbcType() == java.sql.Types.BIT;
			case DATE -> column.jdbcType() == java.sql.Types.DATE;
			case TIMESTAMP -> column.jdbcType() == java.sql.Types.TIMESTAMP;
		};
		return kept ? null : "key column " + name + " is converted to " + rule.type().yamlName();
	}

	private static List<String> quoteAll(Connection connection, List<String> names) throws SQLException {
		List<String> quoted = new ArrayList<>();
		for (String name : names) {
			quoted.add(ConnectionKind.quote(connection, name));
		}
		return quoted;
	}

	/**
	 * How a dry run reads: the source's columns and the order it is read in (none when
	 * Ferry sorts it), the target's SELECT, and whether (and why) Ferry sorts the source.
	 */
	record Plan(List<SourceRows.Column> sourceColumns, List<SourceRows.Column> sourceOrder, String targetSql,
			String targetConnection, boolean sorted, String why) {
	}

	private enum Stage {

		SORTING, MERGING, DRAINING

	}

	/** An import dry run between its batches: open cursors and what it has counted. */
	private final class Cursor {

		private final Plan plan;

		private final ImportPhase phase;

		private final ImportRules rules;

		private final Path sortDirectory;

		private final long runId;

		private Stage stage;

		private ItemStream<SourceItem> reader;

		private RecordSort<SourceItem> sort;

		private ItemStream<SourceItem> source;

		private ImportReaders.Target targetReader;

		private ItemStream<TargetItem> target;

		private TargetItem pending;

		private boolean targetStarted;

		private Object[] lastSourceKey;

		private Object[] lastTargetKey;

		private long sourceRows;

		private long targetRows;

		private long inserted;

		private long updated;

		private long unchanged;

		private long deleted;

		private long rejected;

		private long kept;

		Cursor(long runId, Plan plan, ImportPhase phase, Path sortDirectory) {
			this.runId = runId;
			this.plan = plan;
			this.phase = phase;
			this.rules = ImportRules.of(phase);
			this.sortDirectory = sortDirectory;
		}

		void open(ConnectionService connections, SourceRows sourceRows) {
			try {
				// each side is read on a thread of its own while this one merges and
				// commits the batches; the source's rules are applied on a third, so that
				// reading the source (its driver's work) and normalizing it (the rules')
				// overlap instead of adding up on the thread every batch waits for
				ItemStream<Object[]> values = new ReadAhead<>(
						new ImportReaders.SourceValues(sourceRows.open(this.plan.sourceOrder()),
								this.plan.sourceColumns(), this.rules),
						"ferry-dry-run-" + this.runId + "-source");
				this.reader = new ReadAhead<>(new ImportReaders.Source(values, this.rules),
						"ferry-dry-run-" + this.runId + "-rules");
				if (this.plan.sorted()) {
					this.sort = new RecordSort<>(this.sortDirectory, "chunk", ImportDryRun.this.sortChunkRows,
							ImportItems.SOURCE_ORDER, new ImportItems.SourceCodec(this.rules.keyIndexes()));
					this.stage = Stage.SORTING;
				}
				else {
					this.source = this.reader;
					this.stage = Stage.MERGING;
				}
				this.targetReader = new ImportReaders.Target(connections.dataSource(this.plan.targetConnection()),
						this.plan.targetSql(), this.rules);
				this.target = new ReadAhead<>(this.targetReader, "ferry-dry-run-" + this.runId + "-target");
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Opening the dry run's cursors failed: " + ex.getMessage(), ex);
			}
		}

		BatchOutcome batch(RunContext run) {
			Batch batch = new Batch();
			switch (this.stage) {
				case SORTING -> sortSome(batch);
				case MERGING -> mergeSome(batch);
				case DRAINING -> drainSome(batch);
			}
			ImportDryRun.this.changeSets.append(run.runId(), batch.rows);
			if (this.stage == Stage.DRAINING && this.pending == null && this.targetStarted) {
				return finish(run, batch);
			}
			return new BatchOutcome(this.stage.name().toLowerCase(Locale.ROOT) + ":" + this.sourceRows, batch.units,
					batch.counts(), false);
		}

		private void sortSome(Batch batch) {
			for (int i = 0; i < ImportDryRun.this.batchRows; i++) {
				SourceItem item = this.reader.next();
				if (item == null) {
					this.reader.close();
					RecordSort.Stream<SourceItem> sorted = this.sort.sorted();
					this.source = new ItemStream<>() {

						@Override
						public SourceItem next() {
							return sorted.next();
						}

						@Override
						public void close() {
							Cursor.this.sort.close();
						}

					};
					this.stage = Stage.MERGING;
					return;
				}
				batch.units++;
				if (item.key() == null) {
					// a row without a key cannot be placed: it is rejected now, and
					// counted
					// twice in the units so the progress reaches its total
					batch.units++;
					this.sourceRows++;
					reject(batch, item, item.rejections());
				}
				else {
					this.sort.add(item);
				}
			}
		}

		private void mergeSome(Batch batch) {
			if (!this.targetStarted) {
				this.pending = nextTarget();
				this.targetStarted = true;
			}
			for (int i = 0; i < ImportDryRun.this.batchRows; i++) {
				SourceItem item = this.source.next();
				if (item == null) {
					this.source.close();
					this.stage = Stage.DRAINING;
					drainSome(batch);
					return;
				}
				batch.units++;
				this.sourceRows++;
				merge(batch, item);
			}
		}

		private void merge(Batch batch, SourceItem item) {
			if (item.key() == null) {
				reject(batch, item, item.rejections());
				return;
			}
			if (this.lastSourceKey != null) {
				int order = ImportRules.compareKeys(item.key(), this.lastSourceKey);
				if (order < 0) {
					throw new OutOfOrder("The source's rows did not come in key order (" + keyText(item.key())
							+ " came after " + keyText(this.lastSourceKey) + ").");
				}
				if (order == 0) {
					List<ImportRules.Rejection> reasons = new ArrayList<>(item.rejections());
					reasons
						.add(new ImportRules.Rejection(String.join(", ", this.rules.keyColumns()), keyText(item.key()),
								"key-unique", String.join(", ", this.rules.keyColumns()) + ": " + keyText(item.key())
										+ " occurs more than once in the source; the first row is used."));
					reject(batch, item, reasons);
					return;
				}
			}
			this.lastSourceKey = item.key();
			while (this.pending != null && ImportRules.compareKeys(this.pending.key(), item.key()) < 0) {
				missing(batch, this.pending);
				this.pending = nextTarget();
			}
			TargetItem match = null;
			if (this.pending != null && ImportRules.compareKeys(this.pending.key(), item.key()) == 0) {
				match = this.pending;
				this.pending = nextTarget();
			}
			if (item.rejected()) {
				// a rejected row's key still protects its target row from delete-missing
				reject(batch, item, item.rejections());
			}
			else if (match == null) {
				this.inserted++;
				batch.inserted++;
				batch.rows.add(ChangeRow.insert(this.phase.table(), keyTexts(item.key()), texts(item.values())));
			}
			else if (same(match.values(), item.values())) {
				this.unchanged++;
				batch.unchanged++;
			}
			else {
				this.updated++;
				batch.updated++;
				batch.rows.add(ChangeRow.update(this.phase.table(), keyTexts(item.key()), texts(match.values()),
						texts(item.values())));
			}
		}

		private void drainSome(Batch batch) {
			if (!this.targetStarted) {
				this.pending = nextTarget();
				this.targetStarted = true;
			}
			for (int i = 0; i < ImportDryRun.this.batchRows && this.pending != null; i++) {
				missing(batch, this.pending);
				this.pending = nextTarget();
			}
		}

		/**
		 * A target row the source does not have: a delete with delete-missing, else kept
		 * (no change, listed so a reviewer sees it).
		 */
		private void missing(Batch batch, TargetItem row) {
			if (this.phase.deleteMissing()) {
				this.deleted++;
				batch.deleted++;
				batch.rows.add(ChangeRow.delete(this.phase.table(), keyTexts(row.key()), texts(row.values())));
			}
			else {
				this.kept++;
				if (this.kept <= ChangeSetTotals.KEPT_LISTED) {
					batch.rows.add(ChangeRow.kept(this.phase.table(), keyTexts(row.key()), texts(row.values())));
				}
			}
		}

		private TargetItem nextTarget() {
			TargetItem next = this.target.next();
			if (next == null) {
				return null;
			}
			this.targetRows++;
			if (this.lastTargetKey != null) {
				int order = ImportRules.compareKeys(next.key(), this.lastTargetKey);
				if (order == 0) {
					throw new IllegalStateException("Table " + this.phase.table() + " on "
							+ this.plan.targetConnection() + " has more than one row with key " + keyText(next.key())
							+ ". An import compares rows by key, so the key (" + String.join(", ", this.phase.key())
							+ ") must be unique in the target.");
				}
				if (order < 0) {
					throw new IllegalStateException("Table " + this.phase.table() + " on "
							+ this.plan.targetConnection() + " did not return its rows in key order ("
							+ keyText(next.key()) + " came after " + keyText(this.lastTargetKey)
							+ "). Check that the key columns' types in the table match the import's rules.");
				}
			}
			this.lastTargetKey = next.key();
			return next;
		}

		private void reject(Batch batch, SourceItem item, List<ImportRules.Rejection> reasons) {
			this.rejected++;
			batch.rejected++;
			List<Rejection> rejections = new ArrayList<>(reasons.size());
			for (ImportRules.Rejection reason : reasons) {
				rejections.add(new Rejection(reason.column(), reason.value(), reason.rule(), reason.message()));
			}
			List<String> key = new ArrayList<>();
			for (int index : this.rules.keyIndexes()) {
				key.add(ImportRules.text(item.values()[index]));
			}
			batch.rows.add(ChangeRow.rejected(this.phase.table(), key, texts(item.values()), rejections));
		}

		private boolean same(Object[] before, Object[] after) {
			for (int i = 0; i < after.length; i++) {
				if (!this.rules.same(i, before[i], after[i])) {
					return false;
				}
			}
			return true;
		}

		private BatchOutcome finish(RunContext run, Batch batch) {
			long read = this.sourceRows + this.deleted;
			ChangeSetTotals totals = new ChangeSetTotals(this.sourceRows, this.targetRows, read, this.inserted,
					this.updated, this.unchanged, this.deleted, this.rejected, this.kept);
			ChangeSet sealed = ImportDryRun.this.changeSets.seal(run.runId(), totals);
			run.recordChangeSet(sealed.sha256());
			// read after the target's end came through the read-ahead, so it is final
			if (this.targetReader.withoutKey() > 0) {
				run.log(String.format(Locale.ROOT,
						"%,d rows of %s have no value in a key column; they match no source row and are left alone.",
						this.targetReader.withoutKey(), this.phase.table()));
			}
			run.log(String.format(Locale.ROOT,
					"Read %,d " + sourceWord(run)
							+ " rows and %,d target rows: %,d to insert, %,d to update, %,d unchanged, "
							+ "%,d to delete, %,d rejected. Change set sha256 %s.",
					this.sourceRows, this.targetRows, this.inserted, this.updated, this.unchanged, this.deleted,
					this.rejected, sealed.sha256()));
			if (this.kept > 0) {
				run.log(String.format(Locale.ROOT,
						"%,d rows of %s have no source row: they are kept, because delete-missing is off.", this.kept,
						this.phase.table()));
			}
			return BatchOutcome.last(batch.units, batch.counts());
		}

		private List<String> texts(Object[] values) {
			List<String> texts = new ArrayList<>(values.length);
			for (Object value : values) {
				texts.add(ImportRules.text(value));
			}
			return texts;
		}

		private List<String> keyTexts(Object[] key) {
			List<String> texts = new ArrayList<>(key.length);
			for (Object value : key) {
				texts.add(ImportRules.text(value));
			}
			return texts;
		}

		private String keyText(Object[] key) {
			return String.join(", ", keyTexts(key));
		}

		void close() {
			RuntimeException failure = null;
			for (AutoCloseable closeable : new AutoCloseable[] { this.reader, this.source, this.target,
					this.targetReader, this.sort }) {
				if (closeable == null) {
					continue;
				}
				try {
					closeable.close();
				}
				catch (Exception ex) {
					failure = failure != null ? failure : new IllegalStateException(ex.getMessage(), ex);
				}
			}
			if (failure != null) {
				throw failure;
			}
		}

	}

	/** What one batch found. */
	private static final class Batch {

		private final List<ChangeRow> rows = new ArrayList<>();

		private long units;

		private long inserted;

		private long updated;

		private long unchanged;

		private long deleted;

		private long rejected;

		RunCounts counts() {
			long read = this.inserted + this.updated + this.unchanged + this.deleted + this.rejected;
			return new RunCounts(read, this.inserted, this.updated, this.unchanged, this.deleted, this.rejected, 0);
		}

	}

}
