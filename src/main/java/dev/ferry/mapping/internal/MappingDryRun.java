package dev.ferry.mapping.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.sql.DataSource;

import dev.ferry.importing.RecordSort;
import dev.ferry.connection.ReadingConnection;
import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionService;
import dev.ferry.mapping.MappingTotals;
import dev.ferry.mapping.MatchRecord;
import dev.ferry.mapping.MatchRules;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.MatchedItem;
import dev.ferry.mapping.NewMappingRun;
import dev.ferry.mapping.Suggestion;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunCounts;
import dev.ferry.run.RunMode;
import dev.ferry.security.SystemActor;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The dry run of a mapping phase. It reads both sides once, each streamed: every record's
 * key, block value and tie-breaker values. Both are sorted by the normalized block value
 * (spilled to files in chunks), then merged block by block: each old record is scored
 * against the new records of its block ({@link MatchRules}) and its result stored with
 * the mapping module. Nothing is written to any source or target. A batch takes whole
 * blocks until it has at least {@code ferry.mapping.dry-run-batch-rows} old records; at
 * the end the totals are sealed and the standing picks whose new record has gone are
 * flagged for review.
 * <p>
 * Before storing, the unresolved old records get suggestions: the new records whose
 * normalized block values are closest to theirs ({@link SuggestionPass}). They are taken
 * {@code ferry.mapping.suggest-pass-records} at a time, and each pass reads the new side
 * once more, streamed; the suggestions are spilled sorted by old key and joined to the
 * items as they are stored.
 */
@Component
class MappingDryRun implements PhaseExecutor {

	/** Rows fetched at a time from either side. */
	private static final int FETCH_SIZE = 2000;

	private final ConnectionService connections;

	private final StoredMappings mappings;

	private final Path workDirectory;

	private final int sortChunkRecords;

	private final int batchRows;

	private final int suggestPassRecords;

	private final Map<Long, Cursor> cursors = new ConcurrentHashMap<>();

	MappingDryRun(ConnectionService connections, StoredMappings mappings,
			@Value("${ferry.data-dir:./data}") Path dataDir,
			@Value("${ferry.mapping.sort-chunk-records:200000}") int sortChunkRecords,
			@Value("${ferry.mapping.dry-run-batch-rows:5000}") int batchRows,
			@Value("${ferry.mapping.suggest-pass-records:10000}") int suggestPassRecords) {
		this.connections = connections;
		this.mappings = mappings;
		this.workDirectory = dataDir.resolve("tmp");
		this.sortChunkRecords = sortChunkRecords;
		this.batchRows = batchRows;
		this.suggestPassRecords = suggestPassRecords;
	}

	@Override
	public boolean supports(PhaseSpec phase, RunMode mode) {
		return phase instanceof MappingPhase && mode == RunMode.DRY_RUN;
	}

	@Override
	public Long total(RunContext run) {
		Side old = side(run, ((MappingPhase) run.phase()).oldSide(), ((MappingPhase) run.phase()).block().oldColumn(),
				((MappingPhase) run.phase()).tieBreakers().stream().map(MappingPhase.TieBreaker::oldColumn).toList());
		// each old record is scored once, then stored once
		return 2 * old.count(this.connections);
	}

	@Override
	public BatchOutcome runBatch(RunContext run, String checkpoint) {
		Cursor cursor = this.cursors.get(run.runId());
		if (cursor == null) {
			if (checkpoint != null) {
				this.mappings.discard(run.runId());
				run.startOver(total(run), "This dry run was interrupted (Ferry stopped while it ran). A dry run writes "
						+ "nothing, so it starts over from the first record.");
			}
			cursor = open(run);
		}
		return cursor.batch(run);
	}

	@Override
	public void close(RunContext run) {
		Cursor cursor = this.cursors.remove(run.runId());
		if (cursor != null) {
			cursor.close();
		}
	}

	private Cursor open(RunContext run) {
		MappingPhase phase = (MappingPhase) run.phase();
		Side old = side(run, phase.oldSide(), phase.block().oldColumn(),
				phase.tieBreakers().stream().map(MappingPhase.TieBreaker::oldColumn).toList());
		Side neu = side(run, phase.newSide(), phase.block().newColumn(),
				phase.tieBreakers().stream().map(MappingPhase.TieBreaker::newColumn).toList());
		// the plan's names for the fields (the databases' may be upper case)
		List<String> oldFields = new ArrayList<>(List.of(phase.block().oldColumn()));
		List<String> newFields = new ArrayList<>(List.of(phase.block().newColumn()));
		phase.tieBreakers().forEach(tie -> {
			oldFields.add(tie.oldColumn());
			newFields.add(tie.newColumn());
		});
		this.mappings.begin(new NewMappingRun(run.runId(), run.plan().plan(), run.plan().version(), phase.id(),
				phase.oldSide().table(), phase.newSide().table(), oldFields, newFields,
				phase.tieBreakers().stream().map(MappingPhase.TieBreaker::weight).toList(), phase.uniqueNew()));
		Cursor cursor = new Cursor(run, phase, old, neu, this.workDirectory.resolve("run-" + run.runId() + "-mapping"));
		this.cursors.put(run.runId(), cursor);
		try {
			cursor.open();
		}
		catch (RuntimeException ex) {
			close(run);
			throw ex;
		}
		run.log(String.format(Locale.ROOT,
				"Read %,d old records of %s and %,d new records of %s, sorted by their normalized %s; now scoring "
						+ "the candidates of each old record.",
				cursor.oldSort.count(), phase.oldSide().table(), cursor.newSort.count(), phase.newSide().table(),
				phase.block().oldColumn()));
		return cursor;
	}

	/** One side's table and columns as its database names them. */
	private Side side(RunContext run, MappingPhase.Side side, String blockColumn, List<String> tieColumns) {
		String connection = (side.connection() != null) ? side.connection() : run.plan().spec().target();
		ConnectionCatalog catalog = this.connections.catalog(connection)
			.orElseThrow(() -> new RefusedException("run.unreachable",
					"Connection " + connection + " cannot be reached.", connection));
		ConnectionCatalog.Table table = catalog.table(side.table())
			.orElseThrow(() -> new RefusedException("run.noTable",
					"Table " + side.table() + " does not exist on connection " + connection
							+ ". Apply the phase that creates it first, then run this dry run again.",
					side.table(), connection));
		List<String> columns = new ArrayList<>();
		columns.add(side.key());
		columns.add(blockColumn);
		columns.addAll(tieColumns);
		List<String> names = new ArrayList<>();
		for (String column : columns) {
			names.add(table.column(column)
				.map(ConnectionCatalog.Column::name)
				.orElseThrow(() -> new RefusedException("run.noColumn", "Table " + table.name() + " on " + connection
						+ " has no column " + column + ", which the mapping compares.", table.name(), connection,
						column)));
		}
		return new Side(connection, table.name(), names);
	}

	/**
	 * A side: its connection, table, and columns (key, block column, tie-breaker
	 * columns).
	 */
	record Side(String connection, String table, List<String> columns) {

		long count(ConnectionService connections) {
			DataSource dataSource = connections.dataSource(this.connection);
			Connection c = null;
			try {
				c = ReadingConnection.open(dataSource);
				try (PreparedStatement statement = c
					.prepareStatement("SELECT count(*) FROM " + ConnectionKind.quote(c, this.table));
						ResultSet rs = statement.executeQuery()) {
					rs.next();
					return rs.getLong(1);
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(
						"Counting " + this.table + " on " + this.connection + " failed: " + ex.getMessage(), ex);
			}
			finally {
				ReadingConnection.release(c);
			}
		}

	}

	/** A running dry run: both sides sorted, merged block by block across batches. */
	private final class Cursor {

		private final MappingPhase phase;

		private final MatchRules rules;

		private final Side old;

		private final Side neu;

		private final RecordSort<String[]> oldSort;

		private final RecordSort<String[]> newSort;

		/** The scored items, sorted by old key for storing. */
		private final RecordSort<String[]> itemSort;

		/** The unresolved old records with a block value: {key, blockKey, values...}. */
		private final RecordSort<String[]> unresolvedSort;

		/** Their suggestions, by old key: see {@link ItemFields#ofSuggestions}. */
		private final RecordSort<String[]> suggestionSort;

		/** The unresolved old records still to suggest for, once all are scored. */
		private RecordSort.Stream<String[]> unsuggested;

		private String[] unsuggestedHead;

		private long suggestedFor;

		private RecordSort.Stream<String[]> suggestions;

		private String[] suggestionHead;

		/** The scored items in old-key order, once all are scored; null before. */
		private RecordSort.Stream<String[]> items;

		/** Computes the rows of those items for storing; null before. */
		private Preparer preparer;

		private RecordSort.Stream<String[]> olds;

		private RecordSort.Stream<String[]> news;

		private String[] oldHead;

		private String[] newHead;

		private long seq;

		/** Old records scored so far. */
		private long scored;

		private final long[] statuses = new long[4];

		private final long[] histogram = new long[MappingTotals.BUCKETS];

		/** The new keys of standing picks not yet seen on the new side. */
		private final Set<String> picked;

		private final long runId;

		/** Set when reading one side failed: the other stops reading. */
		private volatile boolean stopped;

		Cursor(RunContext run, MappingPhase phase, Side old, Side neu, Path directory) {
			this.phase = phase;
			this.rules = new MatchRules(phase);
			this.old = old;
			this.neu = neu;
			this.oldSort = RecordSort.texts(directory, "old", MappingDryRun.this.sortChunkRecords);
			this.newSort = RecordSort.texts(directory, "new", MappingDryRun.this.sortChunkRecords);
			// an item holds its candidates too: smaller chunks
			this.itemSort = RecordSort.texts(directory, "items",
					Math.max(1000, MappingDryRun.this.sortChunkRecords / 4), RecordSort.BY_KEY);
			this.unresolvedSort = RecordSort.texts(directory, "unresolved", MappingDryRun.this.sortChunkRecords,
					RecordSort.BY_KEY);
			this.suggestionSort = RecordSort.texts(directory, "suggestions",
					Math.max(1000, MappingDryRun.this.sortChunkRecords / 4), RecordSort.BY_KEY);
			this.picked = new HashSet<>(MappingDryRun.this.mappings.pickedNewKeys(run.plan().plan(), phase.id()));
			this.runId = run.runId();
		}

		/**
		 * Reads both sides at once, the new side on a thread of its own: each side is
		 * read, normalized and sorted into its own spill files, so the two overlap on two
		 * cores. If either fails, the other stops at its next record and the failure is
		 * thrown.
		 */
		void open() {
			AtomicReference<Throwable> newFailure = new AtomicReference<>();
			Thread newReader = new Thread(() -> {
				try {
					SystemActor.run(() -> read(this.neu, this.newSort::add));
				}
				catch (Throwable ex) {
					// an Error too: the new side would be taken as read whole otherwise
					newFailure.set(ex);
					this.stopped = true;
				}
			}, "ferry-mapping-" + this.runId + "-new");
			newReader.setDaemon(true);
			newReader.start();
			try {
				read(this.old, this.oldSort::add);
			}
			catch (RuntimeException ex) {
				this.stopped = true;
				awaitUninterruptibly(newReader);
				throw ex;
			}
			awaitUninterruptibly(newReader);
			Throwable failure = newFailure.get();
			if (failure instanceof RuntimeException ex) {
				throw ex;
			}
			if (failure instanceof Error error) {
				throw error;
			}
			if (failure != null) {
				throw new IllegalStateException(failure.getMessage(), failure);
			}
			this.olds = this.oldSort.sorted();
			this.news = this.newSort.sorted();
			this.oldHead = this.olds.next();
			this.newHead = this.news.next();
		}

		/** Reads a side streamed: {blockKey, key, blockValue, ties...}. */
		private void read(Side side, Consumer<String[]> sort) {
			DataSource dataSource = MappingDryRun.this.connections.dataSource(side.connection());
			Connection c = null;
			try {
				c = ReadingConnection.open(dataSource);
				List<String> quoted = new ArrayList<>();
				for (String column : side.columns()) {
					quoted.add(ConnectionKind.quote(c, column));
				}
				try (PreparedStatement statement = c.prepareStatement(
						"SELECT " + String.join(", ", quoted) + " FROM " + ConnectionKind.quote(c, side.table()),
						ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
					statement.setFetchSize(FETCH_SIZE);
					try (ResultSet rs = statement.executeQuery()) {
						int n = side.columns().size();
						while (rs.next()) {
							if (this.stopped) {
								throw new IllegalStateException("Reading " + side.table() + " on " + side.connection()
										+ " stopped: reading the other side failed.");
							}
							String[] record = new String[n + 1];
							for (int i = 0; i < n; i++) {
								record[i + 1] = rs.getString(i + 1);
							}
							if (record[1] == null) {
								throw new IllegalStateException(
										"A record of " + side.table() + " on " + side.connection() + " has no key ("
												+ side.columns().get(0) + " is NULL): the mapping cannot name it.");
							}
							record[0] = this.rules.blockKey(record[2]);
							sort.accept(record);
						}
					}
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(
						"Reading " + side.table() + " on " + side.connection() + " failed: " + ex.getMessage(), ex);
			}
			finally {
				ReadingConnection.release(c);
			}
		}

		/**
		 * Scores whole blocks until the batch has {@code dry-run-batch-rows} old records,
		 * keeping the items in the item sort; once every old record is scored, stores the
		 * items in old-key order, a batch at a time (so the store's indexes by key grow
		 * at their end instead of everywhere), and seals.
		 */
		BatchOutcome batch(RunContext run) {
			if (this.items != null) {
				return store(run);
			}
			if (this.unsuggested != null) {
				return suggest(run);
			}
			List<MatchedItem> items = new ArrayList<>();
			while (this.oldHead != null && items.size() < MappingDryRun.this.batchRows) {
				String block = this.oldHead[0];
				List<MatchRecord> blockOlds = new ArrayList<>();
				while (this.oldHead != null && same(this.oldHead[0], block)) {
					blockOlds.add(record(this.oldHead));
					this.oldHead = this.olds.next();
				}
				List<MatchRecord> blockNews = new ArrayList<>();
				if (block != null) {
					// new records of blocks no old record has are passed over
					while (this.newHead != null && (this.newHead[0] == null || this.newHead[0].compareTo(block) < 0)) {
						see(this.newHead);
						this.newHead = this.news.next();
					}
					while (this.newHead != null && block.equals(this.newHead[0])) {
						see(this.newHead);
						blockNews.add(record(this.newHead));
						this.newHead = this.news.next();
					}
				}
				items.addAll(this.rules.matchBlock(blockOlds, blockNews));
			}
			boolean finished = this.oldHead == null;
			if (finished) {
				while (this.newHead != null) {
					see(this.newHead);
					this.newHead = this.news.next();
				}
			}
			for (MatchedItem item : items) {
				this.statuses[item.status().ordinal()]++;
				if (item.bestScore() != null) {
					this.histogram[MappingTotals.bucket(item.bestScore())]++;
				}
				this.itemSort.add(ItemFields.of(item));
				if (item.status() == MatchStatus.UNRESOLVED) {
					String blockKey = this.rules.blockKey(item.old().blockValue());
					if (blockKey != null) {
						String[] fields = new String[item.old().values().size() + 2];
						fields[0] = item.old().key();
						fields[1] = blockKey;
						for (int i = 0; i < item.old().values().size(); i++) {
							fields[i + 2] = item.old().values().get(i);
						}
						this.unresolvedSort.add(fields);
					}
				}
			}
			this.scored += items.size();
			if (finished && this.unresolvedSort.count() > 0) {
				this.unsuggested = this.unresolvedSort.sorted();
				this.unsuggestedHead = this.unsuggested.next();
				run.log(String.format(Locale.ROOT,
						"Scored %,d old records; now looking for the closest new records to the %,d unresolved.",
						this.scored, this.unresolvedSort.count()));
			}
			else if (finished) {
				startStoring(run);
			}
			return new BatchOutcome("scored:" + this.scored, items.size(),
					new RunCounts(items.size(), 0, 0, 0, 0, 0, 0), false);
		}

		private void startStoring(RunContext run) {
			this.items = this.itemSort.sorted();
			this.suggestions = this.suggestionSort.sorted();
			this.suggestionHead = this.suggestions.next();
			this.preparer = new Preparer();
			run.log(String.format(Locale.ROOT, "Scored %,d old records; now storing them in key order.", this.scored));
		}

		/**
		 * One pass of suggestions: the next unresolved old records, against the whole new
		 * side read once more.
		 */
		private BatchOutcome suggest(RunContext run) {
			SuggestionPass pass = new SuggestionPass(this.rules);
			while (this.unsuggestedHead != null && pass.size() < MappingDryRun.this.suggestPassRecords) {
				String[] fields = this.unsuggestedHead;
				pass.add(new MatchRecord(fields[0], Arrays.asList(fields).subList(2, fields.length)), fields[1]);
				this.unsuggestedHead = this.unsuggested.next();
			}
			long start = System.nanoTime();
			long[] newRecords = { 0 };
			read(this.neu, fields -> {
				pass.offer(record(fields), fields[0]);
				newRecords[0]++;
			});
			for (int i = 0; i < pass.size(); i++) {
				List<Suggestion> closest = pass.suggestions(i);
				if (!closest.isEmpty()) {
					this.suggestionSort.add(ItemFields.ofSuggestions(pass.old(i).key(), closest));
				}
			}
			this.suggestedFor += pass.size();
			run.log(String.format(Locale.ROOT,
					"Suggested new records for %,d of %,d unresolved old records (this pass: %,d old against %,d new "
							+ "records in %.1f s).",
					this.suggestedFor, this.unresolvedSort.count(), pass.size(), newRecords[0],
					(System.nanoTime() - start) / 1e9));
			if (this.unsuggestedHead == null) {
				startStoring(run);
			}
			return new BatchOutcome("suggested:" + this.suggestedFor, 0, RunCounts.NONE, false);
		}

		/**
		 * Inserts the next batch of rows, which {@link Preparer} computed while the
		 * previous batch was inserted.
		 */
		private BatchOutcome store(RunContext run) {
			Prepared batch = this.preparer.take();
			MappingDryRun.this.mappings.appendRows(run.runId(), this.seq + 1, batch.rows());
			this.seq += batch.rows().size();
			if (!batch.last()) {
				return new BatchOutcome("stored:" + this.seq, batch.rows().size(), RunCounts.NONE, false);
			}
			if (this.seq != this.scored) {
				throw new IllegalStateException(
						"Stored " + this.seq + " items of " + this.scored + " scored: the item sort lost some.");
			}
			seal(run);
			return BatchOutcome.last(batch.rows().size(), RunCounts.NONE);
		}

		/** A batch of rows to insert; the last one ends the items. */
		private record Prepared(List<ItemRow> rows, boolean last, Throwable failure) {
		}

		/**
		 * Reads the scored items back in key order, joins their suggestions and computes
		 * their rows ({@link ItemRow#of}) on a thread of its own, at most two batches
		 * ahead of the inserts: the run's thread, which inserts, is the storing's
		 * critical path, and the second core was idle. The item and suggestion sorts are
		 * read by this thread only, from its start until {@link #stop}.
		 */
		private final class Preparer {

			private final BlockingQueue<Prepared> batches = new ArrayBlockingQueue<>(2);

			private final Thread thread;

			private volatile boolean stopping;

			private boolean ended;

			Preparer() {
				this.thread = new Thread(this::prepare, "ferry-mapping-" + Cursor.this.runId + "-rows");
				this.thread.setDaemon(true);
				this.thread.start();
			}

			private void prepare() {
				int size = MappingDryRun.this.batchRows;
				long prepared = 0;
				try {
					while (!this.stopping) {
						List<ItemRow> rows = new ArrayList<>(size);
						String[] fields = null;
						while (rows.size() < size && (fields = Cursor.this.items.next()) != null) {
							rows.add(ItemRow.of(withSuggestions(ItemFields.item(fields))));
						}
						prepared += rows.size();
						boolean last = fields == null || prepared >= Cursor.this.scored;
						this.batches.put(new Prepared(rows, last, null));
						if (last) {
							return;
						}
					}
				}
				catch (InterruptedException ex) {
					// only stop() ends this thread, and it does not interrupt
					Thread.currentThread().interrupt();
				}
				catch (RuntimeException | Error ex) {
					try {
						this.batches.put(new Prepared(List.of(), true, ex));
					}
					catch (InterruptedException interrupted) {
						Thread.currentThread().interrupt();
					}
				}
			}

			/** The next batch; throws what preparing it threw. */
			Prepared take() {
				if (this.ended) {
					throw new IllegalStateException("Every item of this dry run was stored already.");
				}
				Prepared batch;
				try {
					batch = this.batches.take();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while preparing the items' rows", ex);
				}
				this.ended = batch.last();
				if (batch.failure() instanceof RuntimeException failure) {
					throw failure;
				}
				if (batch.failure() instanceof Error failure) {
					throw failure;
				}
				return batch;
			}

			/** Stops the thread (after the batch it is preparing) and waits for it. */
			void stop() {
				this.stopping = true;
				boolean interrupted = false;
				while (this.thread.isAlive()) {
					// a thread waiting for room puts its batch, sees stopping and ends
					this.batches.clear();
					try {
						this.thread.join(10);
					}
					catch (InterruptedException ex) {
						interrupted = true;
					}
				}
				this.batches.clear();
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}

		}

		private void seal(RunContext run) {
			List<Long> buckets = Arrays.stream(this.histogram).boxed().toList();
			MappingTotals totals = new MappingTotals(this.oldSort.count(), this.newSort.count(),
					this.statuses[MatchStatus.AUTO.ordinal()], this.statuses[MatchStatus.AMBIGUOUS.ordinal()],
					this.statuses[MatchStatus.UNRESOLVED.ordinal()], this.statuses[MatchStatus.CONFLICT.ordinal()],
					buckets);
			MappingDryRun.this.mappings.seal(run.runId(), totals);
			int flagged = this.picked.isEmpty() ? 0 : MappingDryRun.this.mappings.flagStale(run.plan().plan(),
					this.phase.id(), List.copyOf(this.picked), run.runId());
			run.log(String.format(Locale.ROOT,
					"Mapped %,d old records against %,d new: %,d auto, %,d ambiguous, %,d unresolved, %,d conflict.%s",
					totals.oldRows(), totals.newRows(), totals.auto(), totals.ambiguous(), totals.unresolved(),
					totals.conflict(),
					flagged == 0 ? ""
							: String.format(Locale.ROOT,
									" %,d earlier pick(s) chose a new record that no longer exists: back in the queue.",
									flagged)));
		}

		/**
		 * The item with its suggestions, if the suggestion sort has them (both by key).
		 */
		private MatchedItem withSuggestions(MatchedItem item) {
			while (this.suggestionHead != null
					&& RecordSort.KEY_ORDER.compare(this.suggestionHead[0], item.old().key()) < 0) {
				this.suggestionHead = this.suggestions.next();
			}
			if (this.suggestionHead != null && this.suggestionHead[0].equals(item.old().key())) {
				return item.withSuggestions(ItemFields.suggestions(this.suggestionHead));
			}
			return item;
		}

		private void see(String[] record) {
			if (!this.picked.isEmpty()) {
				this.picked.remove(record[1]);
			}
		}

		private static void awaitUninterruptibly(Thread thread) {
			boolean interrupted = false;
			while (thread.isAlive()) {
				try {
					thread.join();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

		private static boolean same(String a, String b) {
			return (a == null) ? b == null : a.equals(b);
		}

		private static MatchRecord record(String[] record) {
			return new MatchRecord(record[1], Arrays.asList(record).subList(2, record.length));
		}

		void close() {
			if (this.preparer != null) {
				this.preparer.stop();
			}
			this.oldSort.close();
			this.newSort.close();
			this.itemSort.close();
			this.unresolvedSort.close();
			this.suggestionSort.close();
		}

	}

}
