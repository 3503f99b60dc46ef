package dev.ferry.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.ChangeWindow;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunCounts;
import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyIn;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An import dry run of 1,000,000 source rows (a SQLite file) against a PostgreSQL table,
 * measured against a baseline taken in the same JVM: the same two SELECTs streamed
 * through plain JDBC and thrown away. It asserts that the run is right (counts add up,
 * exactly the planted changes), never how long it took.
 * <p>
 * The dataset, relative to the source: 1% of the source rows (10,000) exist in the target
 * with one column different, 0.5% (5,000) do not exist in the target (new, to insert),
 * the other 985,000 are in the target unchanged once the rules have normalized them. The
 * target has no row the source lacks, so it holds 995,000 rows and nothing is deleted.
 */
class ImportDryRunBenchmark extends FerryBench {

	static final int ROWS = 1_000_000;

	static final int NEW_ROWS = ROWS / 200;

	static final int CHANGED_ROWS = ROWS / 100;

	static final int FETCH_SIZE = 2000;

	static final String QUERY = BenchItems.QUERY;

	/** The source SELECT the dry run issues: the query as a derived table, by key. */
	static final String SOURCE_SQL = "SELECT * FROM (\n" + QUERY + "\n) ferry_source ORDER BY \"id\"";

	/** The target SELECT the dry run issues: the plan's columns, by key. */
	static final String TARGET_SQL = "SELECT \"id\", \"name\", \"category\", \"qty\", \"price\", \"active\", "
			+ "\"updated\" FROM \"items\" ORDER BY \"id\"";

	static final Path SQLITE = BENCH.resolve("source/items.db").toAbsolutePath();

	/** Keeps the baseline's reads from being optimized away. */
	static volatile long sink;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	ChangeSetService changeSets;

	@Autowired
	JdbcTemplate store;

	EmbeddedPostgres postgres;

	String targetUrl;

	/** The target of the first load: the same table, empty. */
	String emptyUrl;

	final Map<String, Object> figures = new LinkedHashMap<>();

	@BeforeAll
	void datasets() throws Exception {
		Map<String, Object> dataset = new LinkedHashMap<>();
		dataset.put("sourceRows", ROWS);
		dataset.put("targetRows", ROWS - NEW_ROWS);
		dataset.put("changedRows", CHANGED_ROWS);
		dataset.put("newRows", NEW_ROWS);
		dataset.put("interpretation", "relative to the source: 1% of the source rows (10,000) are in the target "
				+ "with one column different (qty, price, active, name or updated, in turn); 0.5% (5,000) are not in "
				+ "the target (inserts); the other 985,000 are in the target and equal after the column rules; the "
				+ "target has no row the source lacks (995,000 rows, nothing to delete)");
		long start = System.nanoTime();
		BenchItems.writeSource(SQLITE, ROWS);
		dataset.put("sqliteWriteSeconds", round(seconds(start)));
		dataset.put("sqliteFileBytes", Files.size(SQLITE));
		start = System.nanoTime();
		this.postgres = EmbeddedPostgres.builder().start();
		dataset.put("postgresStartSeconds", round(seconds(start)));
		try (Connection c = this.postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE bench_target");
		}
		this.targetUrl = this.postgres.getJdbcUrl("postgres", "bench_target");
		try (Connection c = this.postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE bench_empty");
		}
		this.emptyUrl = this.postgres.getJdbcUrl("postgres", "bench_empty");
		try (Connection c = DriverManager.getConnection(this.emptyUrl, "postgres", "");
				Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items " + BenchItems.TARGET_COLUMNS);
			s.execute("ALTER TABLE items ADD PRIMARY KEY (id)");
		}
		start = System.nanoTime();
		writeTarget();
		dataset.put("postgresCopySeconds", round(seconds(start)));
		try (Connection c = target();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT version()")) {
			rs.next();
			dataset.put("postgresVersion", rs.getString(1));
		}
		this.figures.put("dataset", dataset);

		String plan = BenchItems.registerPlan(this.connections, this.plans, "bench-import", "bench-sqlite", SQLITE,
				"bench-pg", this.targetUrl, null);
		this.figures.put("plan", plan);
		BenchItems.registerPlan(this.connections, this.plans, "bench-inserts", "bench-inserts-sqlite", SQLITE,
				"bench-inserts-pg", this.emptyUrl, null);
	}

	@AfterAll
	void stopPostgres() throws IOException {
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@Test
	void dryRunOfAMillionRowsAgainstAStreamingBaseline() throws Exception {
		// warm-up, of both alike: the JIT, the drivers, both databases' caches
		baseline();
		DryRun warmUp = dryRun();
		List<Baseline> baselines = new ArrayList<>();
		List<DryRun> dryRuns = new ArrayList<>();
		// baselines and dry runs alternate, so a burst of load elsewhere hits both kinds
		baselines.add(baseline());
		dryRuns.add(dryRun());
		baselines.add(baseline());
		dryRuns.add(dryRun());
		baselines.add(baseline());

		check(warmUp);
		for (DryRun run : dryRuns) {
			check(run);
			assertThat(run.sha256()).as("the same data gives the same change set").isEqualTo(warmUp.sha256());
		}
		try (Connection c = target();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
			rs.next();
			assertThat(rs.getLong(1)).as("the dry runs wrote nothing to the target").isEqualTo(ROWS - NEW_ROWS);
		}

		double bestBaseline = baselines.stream().mapToDouble(Baseline::seconds).min().orElseThrow();
		double medianBaseline = BenchResults.median(baselines.stream().map(Baseline::seconds).toList());
		double bestDryRun = dryRuns.stream().mapToDouble(DryRun::seconds).min().orElseThrow();
		double ratio = bestDryRun / bestBaseline;

		Map<String, Object> baseline = new LinkedHashMap<>();
		baseline.put("what", "both SELECTs of the dry run streamed through plain JDBC, one after the other, every "
				+ "column read with getString and discarded; fetch size " + FETCH_SIZE
				+ ", PostgreSQL with autocommit off; one warm-up run, then 3 runs alternating with the dry runs");
		baseline.put("sourceSql", SOURCE_SQL);
		baseline.put("targetSql", TARGET_SQL);
		baseline.put("runs", baselines.stream().map(Baseline::figures).toList());
		baseline.put("bestSeconds", round(bestBaseline));
		baseline.put("medianSeconds", round(medianBaseline));
		baseline.put("bestRowsPerSecond", Math.round((2.0 * ROWS - NEW_ROWS) / bestBaseline));
		this.figures.put("baseline", baseline);

		Map<String, Object> dryRun = new LinkedHashMap<>();
		dryRun.put("what", "RunService.request(\"bench-import\", \"import\", DRY_RUN) until the run has ended, "
				+ "timed from the request to its end (polled every 20 ms); store: H2 file, profile test; one warm-up "
				+ "run (the JVM's first, not in the ratio), then 2 runs alternating with the baselines");
		dryRun.put("warmUp", warmUp.figures());
		dryRun.put("runs", dryRuns.stream().map(DryRun::figures).toList());
		dryRun.put("bestSeconds", round(bestDryRun));
		dryRun.put("bestSourceRowsPerSecond", Math.round(ROWS / bestDryRun));
		this.figures.put("dryRun", dryRun);

		Map<String, Object> comparison = new LinkedHashMap<>();
		comparison.put("ratio", BenchResults.round(ratio, 2));
		comparison.put("ratioMethod", "best dry run / best baseline");
		comparison.put("ratioOfMedians", BenchResults
			.round(BenchResults.median(dryRuns.stream().map(DryRun::seconds).toList()) / medianBaseline, 2));
		comparison.put("target", 2.0);
		comparison.put("withinTarget", ratio <= 2.0);
		this.figures.put("comparison", comparison);
		BenchResults.put("importDryRun", this.figures);

		System.out.printf(Locale.ROOT,
				"%n[bench] import dry run, %,d source rows / %,d target rows, -Xmx %d MB, %d cores%n", ROWS,
				ROWS - NEW_ROWS, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
		for (Baseline run : baselines) {
			System.out.printf(Locale.ROOT, "[bench]   baseline %.2f s (source %.2f s, target %.2f s)%n", run.seconds(),
					run.sourceSeconds(), run.targetSeconds());
		}
		List<DryRun> printed = new ArrayList<>(List.of(warmUp));
		printed.addAll(dryRuns);
		for (DryRun run : printed) {
			System.out.printf(Locale.ROOT,
					"[bench]   dry run%s %.2f s (%,d source rows/s; waited %.2f s for the scheduler; %s; CPU s %s), "
							+ "peak heap %d MB (pool peaks), %d MB sampled, %d MB after GC%n",
					(run == warmUp) ? " (warm-up)" : "", run.seconds(), Math.round(ROWS / run.seconds()),
					run.queuedSeconds(), run.timeline(), cpuLine(run.cpu()),
					((Number) run.heap().get("peakHeapUsedBytes")).longValue() >> 20,
					((Number) run.heap().get("sampledMaxHeapUsedBytes")).longValue() >> 20,
					((Number) run.heap().get("sampledMaxHeapAfterGcBytes")).longValue() >> 20);
		}
		System.out.printf(Locale.ROOT,
				"[bench]   best baseline %.2f s (%,d rows/s over both sides), best dry run %.2f s: ratio %.2f "
						+ "(target <= 2.0)%n%n",
				bestBaseline, Math.round((2.0 * ROWS - NEW_ROWS) / bestBaseline), bestDryRun, ratio);
	}

	/**
	 * A first load: the same million source rows into the same table, empty, so the
	 * change set holds a million inserts. Measures the store's write path (issue 22):
	 * change rows a second, and the ratio to streaming both sides (the source and an
	 * empty table).
	 */
	@Test
	void dryRunOfAMillionInsertsAgainstAStreamingBaseline() throws Exception {
		baseline(this.emptyUrl, 0);
		DryRun warmUp = dryRun("bench-inserts");
		List<Baseline> baselines = new ArrayList<>();
		List<DryRun> dryRuns = new ArrayList<>();
		baselines.add(baseline(this.emptyUrl, 0));
		dryRuns.add(dryRun("bench-inserts"));
		baselines.add(baseline(this.emptyUrl, 0));
		dryRuns.add(dryRun("bench-inserts"));
		baselines.add(baseline(this.emptyUrl, 0));

		for (DryRun run : List.of(warmUp, dryRuns.get(0), dryRuns.get(1))) {
			RunView view = run.run();
			assertThat(view.state()).as(String.valueOf(view.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(view.counts().read()).isEqualTo(ROWS);
			assertThat(view.counts().inserted()).isEqualTo(ROWS);
			assertThat(view.counts().updated() + view.counts().unchanged() + view.counts().deleted()
					+ view.counts().rejected())
				.isZero();
			ChangeSet changeSet = SystemActor.call(() -> this.changeSets.get(view.id()));
			assertThat(changeSet.rowCount()).isEqualTo(ROWS);
			assertThat(changeSet.sha256()).isEqualTo(warmUp.sha256());
			// the last page of the million rows, read backwards from the end
			ChangeWindow last = SystemActor.call(() -> this.changeSets.window(view.id(),
					new ChangeFilter(ChangeOp.INSERT, null, null), null, null, true, 50));
			assertThat(last.items()).hasSize(50);
			assertThat(last.items().get(49).seq()).isEqualTo(ROWS);
			assertThat(last.items().get(49).key()).containsEntry("id", (long) ROWS);
			assertThat(last.from()).isEqualTo(ROWS - 49);
		}

		double bestBaseline = baselines.stream().mapToDouble(Baseline::seconds).min().orElseThrow();
		double bestDryRun = dryRuns.stream().mapToDouble(DryRun::seconds).min().orElseThrow();
		double ratio = bestDryRun / bestBaseline;
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("what", "the same source into the same table, empty: a change set of 1,000,000 inserts; "
				+ "baseline: the source's SELECT and the empty table's, streamed as in importDryRun");
		figures.put("baselines", baselines.stream().map(Baseline::figures).toList());
		figures.put("warmUp", warmUp.figures());
		figures.put("runs", dryRuns.stream().map(DryRun::figures).toList());
		figures.put("bestBaselineSeconds", round(bestBaseline));
		figures.put("bestDryRunSeconds", round(bestDryRun));
		figures.put("changeRowsPerSecond", Math.round(ROWS / bestDryRun));
		figures.put("ratio", BenchResults.round(ratio, 2));
		figures.put("targets", Map.of("changeRowsPerSecond", 200_000, "ratio", 2.5));
		BenchResults.put("importDryRunInserts", figures);

		System.out.printf(Locale.ROOT, "%n[bench] import dry run of %,d inserts (an empty target), -Xmx %d MB%n", ROWS,
				Runtime.getRuntime().maxMemory() >> 20);
		for (Baseline run : baselines) {
			System.out.printf(Locale.ROOT, "[bench]   baseline %.2f s (source %.2f s, target %.2f s)%n", run.seconds(),
					run.sourceSeconds(), run.targetSeconds());
		}
		List<DryRun> printed = new ArrayList<>(List.of(warmUp));
		printed.addAll(dryRuns);
		for (DryRun run : printed) {
			System.out.printf(Locale.ROOT,
					"[bench]   dry run%s %.2f s (%,d change rows/s; %s; CPU s %s), peak heap %d MB (pool peaks), "
							+ "%d MB after GC%n",
					(run == warmUp) ? " (warm-up)" : "", run.seconds(), Math.round(ROWS / run.seconds()),
					run.timeline(), cpuLine(run.cpu()),
					((Number) run.heap().get("peakHeapUsedBytes")).longValue() >> 20,
					((Number) run.heap().get("sampledMaxHeapAfterGcBytes")).longValue() >> 20);
		}
		System.out
			.printf(Locale.ROOT,
					"[bench]   best dry run %.2f s = %,d change rows/s (target >= 200,000), %.2f x the best baseline "
							+ "%.2f s (target <= 2.5)%n%n",
					bestDryRun, Math.round(ROWS / bestDryRun), ratio, bestBaseline);
	}

	private static String cpuLine(Map<String, Object> cpu) {
		return "run " + cpu.get("runThreadCpuSeconds") + ", source " + cpu.get("sourceThreadCpuSeconds") + ", rules "
				+ cpu.get("rulesThreadCpuSeconds") + ", target " + cpu.get("targetThreadCpuSeconds") + ", JVM "
				+ cpu.get("jvmCpuSeconds");
	}

	private void check(DryRun dryRun) {
		RunView run = dryRun.run();
		assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(RunState.SUCCEEDED);
		RunCounts counts = run.counts();
		assertThat(counts.read()).as("read = inserted + updated + unchanged + deleted + rejected")
			.isEqualTo(
					counts.inserted() + counts.updated() + counts.unchanged() + counts.deleted() + counts.rejected());
		assertThat(counts.read()).isEqualTo(ROWS);
		assertThat(counts.inserted()).isEqualTo(NEW_ROWS);
		assertThat(counts.updated()).isEqualTo(CHANGED_ROWS);
		assertThat(counts.unchanged()).isEqualTo(ROWS - NEW_ROWS - CHANGED_ROWS);
		assertThat(counts.deleted()).isZero();
		assertThat(counts.rejected()).isZero();

		ChangeSet changeSet = SystemActor.call(() -> this.changeSets.get(run.id()));
		assertThat(changeSet.rowCount()).isEqualTo(NEW_ROWS + CHANGED_ROWS);
		assertThat(changeSet.sha256()).hasSize(64).isEqualTo(run.changeSetSha256());
		assertThat(changeSet.totals().sourceRows()).isEqualTo(ROWS);
		assertThat(changeSet.totals().targetRows()).isEqualTo(ROWS - NEW_ROWS);

		// the first update is row 3 (id 4), whose qty differs; the first insert is row 7
		Change update = first(run.id(), ChangeOp.UPDATE);
		assertThat(update.key()).containsEntry("id", 4L);
		assertThat(update.changed()).containsExactly("qty");
		assertThat(update.after()).containsEntry("qty", BenchItems.qty(3)).containsEntry("name", "Item 4");
		Change insert = first(run.id(), ChangeOp.INSERT);
		assertThat(insert.key()).containsEntry("id", 8L);
		assertThat(insert.after()).containsEntry("category", BenchItems.category(7))
			.containsEntry("active", true)
			.containsEntry("updated", BenchItems.updated(7).toString());

		assertThat(SystemActor.call(() -> this.runs.log(run.id())).stream().map(RunLogLine::message))
			.as("the key is read as it is, so the database orders the source and nothing is sorted by Ferry")
			.anySatisfy(line -> assertThat(line).startsWith("Comparing the source, in key order"))
			.noneSatisfy(line -> assertThat(line).contains("sorting"));
	}

	private Change first(long runId, ChangeOp op) {
		ChangePage page = SystemActor
			.call(() -> this.changeSets.changes(runId, new ChangeFilter(op, null, null), null, 1));
		assertThat(page.items()).isNotEmpty();
		return page.items().get(0);
	}

	private DryRun dryRun() {
		return dryRun("bench-import");
	}

	private DryRun dryRun(String plan) {
		System.gc();
		HeapWatch heap = HeapWatch.start();
		CpuWatch cpu = CpuWatch.start();
		long start = System.nanoTime();
		RunView requested = SystemActor.call(() -> this.runs.request(plan, "import", RunMode.DRY_RUN));
		RunView run = finished(requested.id());
		double seconds = seconds(start);
		Map<String, Object> heapFigures = heap.figures();
		Map<String, Object> cpuFigures = cpu.figures();
		double queued = Duration.between(run.requestedAt(), run.startedAt()).toMillis() / 1000.0;
		double running = Duration.between(run.startedAt(), run.finishedAt()).toMillis() / 1000.0;
		return new DryRun(run, seconds, queued, running, timeline(run), cpuFigures, heapFigures);
	}

	/**
	 * Where the run's time went, from its log and its batch ledger in the store: getting
	 * ready (counting the source, reading both catalogues, opening the cursors), the
	 * batches of 10,000 source rows, and the last batch, which also seals the change set
	 * (its sha256 and report files).
	 */
	private Map<String, Object> timeline(RunView run) {
		Instant comparing = SystemActor.call(() -> this.runs.log(run.id()))
			.stream()
			.filter(line -> line.message().startsWith("Comparing the source"))
			.map(RunLogLine::at)
			.findFirst()
			.orElseThrow();
		List<Instant> batches = this.store
			.queryForList("SELECT committed_at FROM run_batches WHERE run_id = ? ORDER BY batch_no",
					OffsetDateTime.class, run.id())
			.stream()
			.map(OffsetDateTime::toInstant)
			.toList();
		Instant beforeLast = batches.get(batches.size() - 2);
		Map<String, Object> timeline = new LinkedHashMap<>();
		timeline.put("prepareSeconds", between(run.startedAt(), comparing));
		timeline.put("batches", batches.size());
		timeline.put("batchesButLastSeconds", between(comparing, beforeLast));
		timeline.put("lastBatchAndSealSeconds", between(beforeLast, run.finishedAt()));
		return timeline;
	}

	private static double between(Instant from, Instant to) {
		return Duration.between(from, to).toMillis() / 1000.0;
	}

	private Baseline baseline() throws SQLException {
		return baseline(this.targetUrl, ROWS - NEW_ROWS);
	}

	private Baseline baseline(String url, long expectedTargetRows) throws SQLException {
		long start = System.nanoTime();
		long sourceRows;
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + SQLITE)) {
			c.setAutoCommit(false);
			sourceRows = drain(c, SOURCE_SQL);
			c.rollback();
		}
		double sourceSeconds = seconds(start);
		long targetStart = System.nanoTime();
		long targetRows;
		try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
			c.setAutoCommit(false);
			c.setReadOnly(true);
			targetRows = drain(c, TARGET_SQL);
			c.rollback();
		}
		double targetSeconds = seconds(targetStart);
		assertThat(sourceRows).isEqualTo(ROWS);
		assertThat(targetRows).isEqualTo(expectedTargetRows);
		return new Baseline(seconds(start), sourceSeconds, targetSeconds);
	}

	private static long drain(Connection c, String sql) throws SQLException {
		long rows = 0;
		long chars = 0;
		try (PreparedStatement statement = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
				ResultSet.CONCUR_READ_ONLY)) {
			statement.setFetchSize(FETCH_SIZE);
			try (ResultSet rs = statement.executeQuery()) {
				int columns = rs.getMetaData().getColumnCount();
				while (rs.next()) {
					for (int k = 1; k <= columns; k++) {
						String value = rs.getString(k);
						chars += (value != null) ? value.length() : 0;
					}
					rows++;
				}
			}
		}
		sink += chars;
		return rows;
	}

	// --- the data -------------------------------------------------------------------

	static boolean isNew(int i) {
		return i % 200 == 7;
	}

	static boolean changed(int i) {
		// i % 100 == 3 never meets i % 200 == 7
		return i % 100 == 3;
	}

	/**
	 * The target: the source's rows typed and clean, without the new rows, 1% altered.
	 */
	private void writeTarget() throws SQLException {
		try (Connection c = target()) {
			try (Statement s = c.createStatement()) {
				s.execute("CREATE TABLE items " + BenchItems.TARGET_COLUMNS);
			}
			CopyIn copy = BenchItems.copyIn(c, "items");
			StringBuilder chunk = new StringBuilder(1 << 20);
			for (int i = 0; i < ROWS; i++) {
				if (isNew(i)) {
					continue;
				}
				String name = BenchItems.name(i);
				long qty = BenchItems.qty(i);
				BigDecimal price = BenchItems.price(i);
				boolean active = BenchItems.active(i);
				LocalDate updated = BenchItems.updated(i);
				if (changed(i)) {
					switch ((i / 100) % 5) {
						case 0 -> qty++;
						case 1 -> price = price.add(BigDecimal.ONE);
						case 2 -> active = !active;
						case 3 -> name = name + " (old)";
						default -> updated = updated.minusDays(1);
					}
				}
				BenchItems.appendCopyLine(chunk, i + 1, name, BenchItems.category(i), qty, price, active, updated);
				BenchItems.flush(copy, chunk, false);
			}
			BenchItems.flush(copy, chunk, true);
			copy.endCopy();
			try (Statement s = c.createStatement()) {
				s.execute("ALTER TABLE items ADD PRIMARY KEY (id)");
				s.execute("VACUUM ANALYZE items");
			}
		}
	}

	private Connection target() throws SQLException {
		return DriverManager.getConnection(this.targetUrl, "postgres", "");
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static double round(double seconds) {
		return BenchResults.round(seconds, 3);
	}

	record Baseline(double seconds, double sourceSeconds, double targetSeconds) {

		Map<String, Object> figures() {
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("seconds", round(this.seconds));
			figures.put("sourceSeconds", round(this.sourceSeconds));
			figures.put("targetSeconds", round(this.targetSeconds));
			return figures;
		}

	}

	record DryRun(RunView run, double seconds, double queuedSeconds, double runningSeconds,
			Map<String, Object> timeline, Map<String, Object> cpu, Map<String, Object> heap) {

		String sha256() {
			return this.run.changeSetSha256();
		}

		Map<String, Object> figures() {
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("runId", this.run.id());
			figures.put("seconds", round(this.seconds));
			figures.put("sourceRowsPerSecond", Math.round(ROWS / this.seconds));
			figures.put("queuedSeconds", this.queuedSeconds);
			figures.put("runningSeconds", this.runningSeconds);
			figures.put("timeline", this.timeline);
			figures.put("cpu", this.cpu);
			figures.put("counts", this.run.counts());
			figures.put("changeSetSha256", this.run.changeSetSha256());
			figures.put("heap", this.heap);
			return figures;
		}

	}

}
