package dev.ferry.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeColumn;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeRow;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.ChangeSetTotals;
import dev.ferry.changeset.NewChangeSet;
import dev.ferry.changeset.Rejection;
import dev.ferry.changeset.internal.ChangeSetSql;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyset pages of a change set of 1,000,000 rows in Ferry's store (H2 file): the first
 * page and a page deep in (after seq 900,000), with and without an operation filter, and
 * key searches. The rows are written through {@link ChangeSetService} as a dry run writes
 * them (begin, append in batches of 10,000, seal), for a real run: a preflight run, which
 * has no change set of its own, gives the {@code runs} row the change set refers to. Only
 * correctness is asserted; the timings and the store's query plans are printed and
 * written to {@code target/bench/results.json}.
 */
class ChangePagesBenchmark extends FerryBench {

	static final int ROWS = 1_000_000;

	static final int BATCH = 10_000;

	static final int PAGE = 50;

	/** Cursors that all select the first page: 0, -1, -2, ... */
	static final IntFunction<String> FIRST = (k) -> String.valueOf(-k);

	/** Cursors deep in: 900000, 901000, ... */
	static final IntFunction<String> DEEP = (k) -> String.valueOf(900_000 + 1000 * k);

	/** Timed calls per case, after {@value #WARM_UP} untimed one. */
	static final int TIMES = 5;

	static final int WARM_UP = 1;

	static final List<ChangeColumn> COLUMNS = List.of(new ChangeColumn("id", "integer"),
			new ChangeColumn("name", "string"), new ChangeColumn("qty", "integer"),
			new ChangeColumn("price", "decimal"));

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	ChangeSetService changeSets;

	@Autowired
	JdbcTemplate store;

	long runId;

	final Map<String, Object> figures = new LinkedHashMap<>();

	/** Row i (1-based, seq i, key i): 60% update, 30% insert, 9% delete, 1% rejected. */
	static ChangeOp op(long i) {
		long n = i % 100;
		return (n < 60) ? ChangeOp.UPDATE : (n < 90) ? ChangeOp.INSERT : (n < 99) ? ChangeOp.DELETE : ChangeOp.REJECTED;
	}

	static ChangeRow row(long i) {
		String id = String.valueOf(i);
		List<String> values = List.of(id, "Item " + i, String.valueOf(i % 1000), (i % 10_000) + ".5");
		return switch (op(i)) {
			case UPDATE -> ChangeRow.update("items", List.of(id), values,
					List.of(id, "Item " + i, String.valueOf(i % 1000 + 1), (i % 10_000) + ".5"));
			case INSERT -> ChangeRow.insert("items", List.of(id), values);
			case DELETE -> ChangeRow.delete("items", List.of(id), values);
			case KEPT -> ChangeRow.kept("items", List.of(id), values);
			case REJECTED ->
				ChangeRow.rejected("items", List.of(id), List.of(id, "Item " + i, "many", (i % 10_000) + ".5"),
						List.of(new Rejection("qty", "many", "type integer", "qty: \"many\" is not an integer.")));
		};
	}

	@BeforeAll
	void aMillionChangeRows() throws Exception {
		Path sqlite = BENCH.resolve("source/pages.db").toAbsolutePath();
		Files.createDirectories(sqlite.getParent());
		Files.deleteIfExists(sqlite);
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY)");
			s.execute("INSERT INTO items VALUES (1)");
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("pages-source", "jdbc:sqlite:" + sqlite, null, null, true));
			this.connections.create(new ConnectionCommand("pages-target", "jdbc:sqlite:" + sqlite, null, null, false));
		});
		String plan = """
				plan: bench-pages
				source: pages-source
				target: pages-target
				phases:
				  - id: preflight
				    kind: preflight
				    count: [source.items]
				gates: []
				""";
		SystemActor.run(() -> this.plans.save(null, plan.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
		RunView run = finished(
				SystemActor.call(() -> this.runs.request("bench-pages", "preflight", RunMode.DRY_RUN)).id());
		assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(RunState.SUCCEEDED);
		this.runId = run.id();

		HeapWatch heap = HeapWatch.start();
		long start = System.nanoTime();
		SystemActor.run(() -> this.changeSets.begin(new NewChangeSet(this.runId, "bench-pages", run.planVersion(),
				"preflight", "pages-target", "items", COLUMNS, List.of("id"))));
		for (long first = 1; first <= ROWS; first += BATCH) {
			List<ChangeRow> rows = new ArrayList<>(BATCH);
			for (long i = first; i < first + BATCH; i++) {
				rows.add(row(i));
			}
			SystemActor.run(() -> this.changeSets.append(this.runId, rows));
		}
		double appendSeconds = seconds(start);
		start = System.nanoTime();
		long updated = ROWS * 60L / 100;
		long inserted = ROWS * 30L / 100;
		long deleted = ROWS * 9L / 100;
		long rejected = ROWS / 100;
		ChangeSetTotals totals = new ChangeSetTotals(updated + inserted + rejected, updated + deleted, ROWS, inserted,
				updated, 0, deleted, rejected);
		ChangeSet sealed = SystemActor.call(() -> this.changeSets.seal(this.runId, totals));
		double sealSeconds = seconds(start);
		Map<String, Object> heapFigures = heap.figures();
		assertThat(sealed.rowCount()).isEqualTo(ROWS);
		assertThat(sealed.sha256()).hasSize(64);
		assertThat(totals.read()).isEqualTo(
				totals.inserted() + totals.updated() + totals.unchanged() + totals.deleted() + totals.rejected());

		Map<String, Object> changeSet = new LinkedHashMap<>();
		changeSet.put("rows", ROWS);
		changeSet.put("mix", "by seq % 100: 60% update, 30% insert, 9% delete, 1% rejected, interleaved; key = seq");
		changeSet.put("appendBatchRows", BATCH);
		changeSet.put("beginAndAppendSeconds", round(appendSeconds));
		changeSet.put("appendRowsPerSecond", Math.round(ROWS / appendSeconds));
		changeSet.put("sealSeconds", round(sealSeconds));
		changeSet.put("sealWhat", "sha256 over every row in order, changes.csv and summary.json written");
		changeSet.put("heap", heapFigures);
		changeSet.put("runId", this.runId);
		changeSet.put("runRowFrom", "a real preflight run of plan bench-pages (RunService.request), which has no "
				+ "change set of its own");
		this.figures.put("changeSet", changeSet);
		System.out.printf(Locale.ROOT,
				"%n[bench] change set of %,d rows: begin + %d appends %.1f s (%,d rows/s), seal %.1f s%n", ROWS,
				ROWS / BATCH, appendSeconds, Math.round(ROWS / appendSeconds), sealSeconds);
	}

	@Test
	void keysetPages() {
		Map<String, Object> pages = new LinkedHashMap<>();
		ChangeFilter updates = new ChangeFilter(ChangeOp.UPDATE, null, null);
		pages.put("update, first page", time(updates, FIRST, (page) -> {
			assertPage(page, ChangeOp.UPDATE, 0);
			assertThat(page.items().get(0).seq()).isEqualTo(1);
		}));
		pages.put("update, after seq ~900000", time(updates, DEEP, (page) -> {
			assertPage(page, ChangeOp.UPDATE, 900_000);
			assertThat(page.items().get(0).changed()).containsExactly("qty");
		}));
		pages.put("no filter, first page", time(ChangeFilter.ALL, FIRST, (page) -> {
			assertPage(page, null, 0);
			assertThat(page.items()).extracting(Change::seq).startsWith(1L, 2L, 3L);
		}));
		pages.put("no filter, after seq ~900000", time(ChangeFilter.ALL, DEEP, (page) -> {
			assertPage(page, null, 900_000);
			long first = page.items().get(0).seq();
			assertThat(page.items()).extracting(Change::seq).startsWith(first, first + 1, first + 2);
		}));
		pages.put("rejected, after seq ~900000", time(new ChangeFilter(ChangeOp.REJECTED, null, null), DEEP, (page) -> {
			assertPage(page, ChangeOp.REJECTED, 900_000);
			assertThat(page.items()).allSatisfy((change) -> assertThat(change.seq() % 100).isEqualTo(99));
			assertThat(page.items().get(0).reasons()).extracting(Rejection::rule).containsExactly("type integer");
		}));
		// a key prefix that few keys have: 77777 and 777770 to 777779
		pages.put("q=77777, first page", time(new ChangeFilter(null, null, "77777"), FIRST, (page) -> {
			assertThat(page.items()).extracting((change) -> String.valueOf(change.key().get("id")))
				.containsExactly("77777", "777770", "777771", "777772", "777773", "777774", "777775", "777776",
						"777777", "777778", "777779");
			assertThat(page.next()).isNull();
		}));
		// a prefix that one key in nine has
		pages.put("q=9, first page", time(new ChangeFilter(null, null, "9"), FIRST, (page) -> {
			assertPage(page, null, 0);
			assertThat(page.items().get(0).seq()).isEqualTo(9);
		}));
		pages.put("q=9, after seq ~900000", time(new ChangeFilter(null, null, "9"), DEEP, (page) -> {
			assertPage(page, null, 900_000);
			assertThat(page.items())
				.allSatisfy((change) -> assertThat(String.valueOf(change.key().get("id"))).startsWith("9"));
		}));
		// the worst case of a search: the keys 5... all lie before the cursor
		pages.put("update and q=5, after seq ~900000",
				time(new ChangeFilter(ChangeOp.UPDATE, null, "5"), DEEP, (page) -> {
					assertThat(page.items()).isEmpty();
					assertThat(page.next()).isNull();
				}));
		// what a repeated identical request costs: H2 hands back its last result
		pages.put("no filter, first page, the identical call again",
				time(ChangeFilter.ALL, (k) -> null, (page) -> assertPage(page, null, 0)));
		this.figures.put("pages", pages);

		Map<String, Object> plans = new LinkedHashMap<>();
		plans.put("no filter, first segments", explain(ChangeSetSql.scan(null, null), Long.MIN_VALUE));
		plans.put("no filter, after seq 900000", explain(ChangeSetSql.scan(null, null), 900_000L));
		plans.put("update, after seq 900000", explain(ChangeSetSql.scan(ChangeOp.UPDATE, null), 900_000L));
		plans.put("q=9, after seq 900000", explain(ChangeSetSql.scan(null, "9"), 900_000L));
		this.figures.put("queryPlans", plans);
		this.figures.put("timingMethod", "ChangeSetService.changes(runId, filter, cursor, " + PAGE
				+ ") as the system actor: " + WARM_UP + " untimed call, then the median (and min, max) of " + TIMES
				+ " timed calls, in milliseconds. Every call has a cursor of its own (first pages: 0, -1, -2, ..., "
				+ "which select the same first page; deep pages: 900000, 901000, 902000, ...), because H2 hands back "
				+ "the last result of a statement run again with the same parameters while nothing in the database "
				+ "has changed (the last case shows what that costs)");
		BenchResults.put("changePages", this.figures);

		System.out.printf(Locale.ROOT, "[bench] pages of %d rows (ms: median, min, max of %d calls):%n", PAGE, TIMES);
		pages.forEach((what, timing) -> System.out.printf(Locale.ROOT, "[bench]   %-48s %s%n", what, timing));
		plans.forEach((what, plan) -> System.out.printf(Locale.ROOT, "[bench] store plan (%s): %s%n", what,
				((Map<?, ?>) plan).get("explainAnalyze").toString().replaceAll("\\s+", " ")));
	}

	private void assertPage(ChangePage page, ChangeOp op, long after) {
		assertThat(page.items()).hasSize(PAGE);
		assertThat(page.items()).extracting(Change::seq)
			.isSorted()
			.allSatisfy((seq) -> assertThat(seq).isGreaterThan(after));
		if (op != null) {
			assertThat(page.items()).allSatisfy((change) -> assertThat(change.op()).isEqualTo(op));
		}
		assertThat(page.next()).isEqualTo(String.valueOf(page.items().get(PAGE - 1).seq()));
	}

	/**
	 * Times pages of a filter: call k (from 0) reads after {@code cursors.apply(k)}, the
	 * warm-up calls after the cursors that follow the timed ones'.
	 */
	private Map<String, Object> time(ChangeFilter filter, IntFunction<String> cursors, Consumer<ChangePage> check) {
		for (int k = TIMES; k < TIMES + WARM_UP; k++) {
			check.accept(page(filter, cursors.apply(k)));
		}
		List<Double> millis = new ArrayList<>();
		for (int k = 0; k < TIMES; k++) {
			String cursor = cursors.apply(k);
			long start = System.nanoTime();
			ChangePage page = page(filter, cursor);
			millis.add((System.nanoTime() - start) / 1e6);
			check.accept(page);
		}
		Map<String, Object> timing = new LinkedHashMap<>();
		timing.put("medianMillis", BenchResults.round(BenchResults.median(millis), 2));
		timing.put("minMillis",
				BenchResults.round(millis.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), 2));
		timing.put("maxMillis",
				BenchResults.round(millis.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), 2));
		return timing;
	}

	private ChangePage page(ChangeFilter filter, String after) {
		return SystemActor.call(() -> this.changeSets.changes(this.runId, filter, after, PAGE));
	}

	/**
	 * H2's plan of a segment scan as ChangeSegments runs it (with bind parameters, 2
	 * segments), with the rows it read: EXPLAIN ANALYZE runs the query.
	 */
	private Map<String, Object> explain(ChangeSetSql.Scan scan, long bound) {
		List<Object> all = new ArrayList<>();
		all.add(this.runId);
		all.add(bound);
		all.addAll(scan.filterParams());
		all.add(2);
		Map<String, Object> plan = new LinkedHashMap<>();
		plan.put("sql", scan.sql());
		plan.put("parameters", all);
		// H2 answers one row, PostgreSQL one row per line of the plan
		plan.put("explainAnalyze", String.join("\n",
				this.store.queryForList("EXPLAIN ANALYZE " + scan.sql(), String.class, all.toArray())));
		return plan;
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static double round(double seconds) {
		return BenchResults.round(seconds, 3);
	}

}
