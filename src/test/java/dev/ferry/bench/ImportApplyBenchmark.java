package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ferry.gate.ApprovalService;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.spec.ImportPhase;
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

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An import apply of 1,000,000 new rows (a SQLite source, an empty PostgreSQL table) and
 * its rollback, measured against a baseline taken in the same JVM: PostgreSQL's
 * {@code COPY} of the same rows, already normalized, into an identical empty table. The
 * dry run that the apply replays is timed too but is not part of a ratio. It asserts that
 * the apply and the rollback are right (every row written as the COPY wrote it, the table
 * empty again with its checksum from before the apply), never how long they took.
 */
class ImportApplyBenchmark extends FerryBench {

	static final int ROWS = 1_000_000;

	static final int BATCH_SIZE = ImportPhase.DEFAULT_BATCH_SIZE;

	static final Path SQLITE = BENCH.resolve("source/apply-items.db").toAbsolutePath();

	static final String IMPORT_APPLY = "src/main/java/dev/ferry/importing/internal/ImportApply.java";

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	ApprovalService approvals;

	EmbeddedPostgres postgres;

	String targetUrl;

	/** The second case's target: a million rows, a few of them to change. */
	String mixedUrl;

	static final int MIXED_INSERTS = ROWS / 200;

	static final int MIXED_UPDATES = ROWS / 100;

	static final int MIXED_DELETES = 1_000;

	static final int MIXED_CHANGES = MIXED_INSERTS + MIXED_UPDATES + MIXED_DELETES;

	final Map<String, Object> figures = new LinkedHashMap<>();

	@BeforeAll
	void datasets() throws Exception {
		Map<String, Object> dataset = new LinkedHashMap<>();
		dataset.put("sourceRows", ROWS);
		dataset.put("targetRowsBefore", 0);
		dataset.put("interpretation", "the target table is empty, so the apply inserts all 1,000,000 source rows "
				+ "(no update, no delete, no rejected row); the source is the same generated SQLite data as the "
				+ "import dry run benchmark's");
		long start = System.nanoTime();
		BenchItems.writeSource(SQLITE, ROWS);
		dataset.put("sqliteWriteSeconds", round(seconds(start)));
		dataset.put("sqliteFileBytes", Files.size(SQLITE));
		this.postgres = EmbeddedPostgres.builder().start();
		try (Connection c = this.postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE bench_apply");
		}
		this.targetUrl = this.postgres.getJdbcUrl("postgres", "bench_apply");
		try (Connection c = target(); Statement s = c.createStatement()) {
			// the apply's table and the COPY's, identical, both with their primary key
			s.execute("CREATE TABLE items "
					+ BenchItems.TARGET_COLUMNS.replace("(id BIGINT NOT NULL,", "(id BIGINT NOT NULL PRIMARY KEY,"));
			s.execute("CREATE TABLE items_copy (LIKE items INCLUDING ALL)");
			try (ResultSet rs = s.executeQuery("SELECT version()")) {
				rs.next();
				dataset.put("postgresVersion", rs.getString(1));
			}
		}
		dataset.put("importApplyCommit", git("log", "-1", "--format=%h", "--", IMPORT_APPLY));
		dataset.put("importApplyModifiedInWorkTree", !git("status", "--porcelain", "--", IMPORT_APPLY).isEmpty());
		this.figures.put("dataset", dataset);

		String plan = BenchItems.registerPlan(this.connections, this.plans, "bench-apply", "apply-sqlite", SQLITE,
				"apply-pg", this.targetUrl, BATCH_SIZE);
		this.figures.put("plan", plan);

		// the second case: a table of a million rows receiving a few changes
		try (Connection c = this.postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE bench_mixed");
		}
		this.mixedUrl = this.postgres.getJdbcUrl("postgres", "bench_mixed");
		try (Connection c = DriverManager.getConnection(this.mixedUrl, "postgres", "")) {
			try (Statement s = c.createStatement()) {
				s.execute("CREATE TABLE items " + BenchItems.TARGET_COLUMNS.replace("(id BIGINT NOT NULL,",
						"(id BIGINT NOT NULL PRIMARY KEY,"));
				s.execute("CREATE TABLE changed_copy (LIKE items INCLUDING ALL)");
			}
			BenchItems.copyClean(c, "items", ROWS);
			try (Statement s = c.createStatement()) {
				// relative to the source: 5,000 rows missing (inserts), 10,000 with a qty
				// off
				// by one (updates), 1,000 the source lacks (deletes)
				s.execute("DELETE FROM items WHERE id % 200 = 8");
				s.execute("UPDATE items SET qty = qty + 1 WHERE id % 100 = 4");
				s.execute("INSERT INTO items SELECT 2000000 + g, 'Gone ' || g, 'X', 0, 0, true, DATE '2020-01-01' "
						+ "FROM generate_series(1, " + MIXED_DELETES + ") g");
				s.execute("VACUUM ANALYZE items");
				s.execute("CREATE TABLE items_before AS SELECT * FROM items");
			}
		}
		BenchItems.registerPlan(this.connections, this.plans, "bench-mixed", "mixed-sqlite", SQLITE, "mixed-pg",
				this.mixedUrl, BATCH_SIZE);
	}

	@AfterAll
	void stopPostgres() throws IOException {
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@Test
	void applyAndRollbackOfAMillionInsertsAgainstCopy() throws Exception {
		List<Double> copies = new ArrayList<>();
		copies.add(copy());

		Timed dryRun = timed(() -> SystemActor.call(() -> this.runs.request("bench-apply", "import", RunMode.DRY_RUN)));
		RunView dry = dryRun.run();
		assertThat(dry.state()).as(String.valueOf(dry.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(dry.counts().read()).isEqualTo(ROWS);
		assertThat(dry.counts().inserted()).isEqualTo(ROWS);
		assertThat(dry.counts().updated() + dry.counts().deleted() + dry.counts().rejected()).isZero();

		// approved outside the timing, as an operator would before applying
		dev.ferry.support.Actors.approved(this.runs, this.approvals, "bench-apply", "import");
		Timed apply = timed(() -> SystemActor.call(() -> this.runs.request("bench-apply", "import", RunMode.APPLY)));
		RunView applied = apply.run();
		assertThat(applied.state()).as(String.valueOf(applied.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(applied.counts().inserted()).isEqualTo(ROWS);
		assertThat(applied.counts().updated() + applied.counts().deleted() + applied.counts().conflicts()).isZero();
		assertThat(count("items")).isEqualTo(ROWS);
		assertThat(count("items a FULL JOIN items_copy c ON a.id = c.id WHERE ROW(a.*) IS DISTINCT FROM ROW(c.*)"))
			.as("the apply wrote every row as the COPY did")
			.isZero();
		Map<String, Object> applyBatches = batches("applied_at", applied.id(), applied.startedAt());
		assertThat(applyBatches.get("batches")).isEqualTo((long) ROWS / BATCH_SIZE);

		Timed rollback = timed(() -> SystemActor.call(() -> this.runs.rollback(applied.id())));
		RunView rolledBack = rollback.run();
		assertThat(rolledBack.state()).as(String.valueOf(rolledBack.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(rolledBack.counts().deleted()).as("the inserted rows removed").isEqualTo(ROWS);
		assertThat(count("items")).isZero();
		assertThat(SystemActor.call(() -> this.runs.get(applied.id())).state()).isEqualTo(RunState.ROLLED_BACK);
		List<String> log = SystemActor.call(() -> this.runs.log(rolledBack.id()))
			.stream()
			.map(RunLogLine::message)
			.toList();
		assertThat(log)
			.anySatisfy(line -> assertThat(line).contains("the same as right before apply #" + applied.id()));
		Map<String, Object> rollbackBatches = batches("rolled_back_at", applied.id(), rolledBack.startedAt());

		copies.add(copy());
		double bestCopy = copies.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
		double copyRate = ROWS / bestCopy;
		double applyRate = ROWS / apply.seconds();
		double applyShare = applyRate / copyRate;
		double rollbackRatio = rollback.seconds() / apply.seconds();

		Map<String, Object> copy = new LinkedHashMap<>();
		copy.put("what", "COPY items_copy (...) FROM STDIN (CopyManager, text format, 1 MB chunks) of the 1,000,000 "
				+ "rows already normalized, into an empty table identical to the apply's (primary key included), "
				+ "autocommit; TRUNCATE before each run, not timed; once before the dry run and once after the "
				+ "rollback");
		copy.put("runsSeconds", copies.stream().map(ImportApplyBenchmark::round).toList());
		copy.put("bestSeconds", round(bestCopy));
		copy.put("bestRowsPerSecond", Math.round(copyRate));
		this.figures.put("copy", copy);
		this.figures.put("dryRun", dryRun.figures(ROWS, null));
		this.figures.put("apply", apply.figures(ROWS, applyBatches));
		this.figures.put("rollback", rollback.figures(ROWS, rollbackBatches));
		Map<String, Object> comparison = new LinkedHashMap<>();
		comparison.put("applyRowsPerSecondOverCopy", BenchResults.round(applyShare, 3));
		comparison.put("applyTarget", ">= 0.60");
		comparison.put("applyWithinTarget", applyShare >= 0.60);
		comparison.put("rollbackOverApply", BenchResults.round(rollbackRatio, 3));
		comparison.put("rollbackTarget", "<= 1.0");
		comparison.put("rollbackWithinTarget", rollbackRatio <= 1.0);
		comparison.put("method", "apply rows/s over the best COPY's rows/s; rollback seconds over apply seconds; "
				+ "apply and rollback timed from the request to the run's end (polled every 20 ms)");
		this.figures.put("comparison", comparison);
		BenchResults.put("importApply", this.figures);

		System.out.printf(Locale.ROOT,
				"%n[bench] import apply of %,d inserts into an empty PostgreSQL table, "
						+ "batch-size %d, -Xmx %d MB, %d cores, ImportApply.java at %s%n",
				ROWS, BATCH_SIZE, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
				((Map<?, ?>) this.figures.get("dataset")).get("importApplyCommit"));
		System.out.printf(Locale.ROOT, "[bench]   COPY %s s, best %.2f s (%,d rows/s)%n", copy.get("runsSeconds"),
				bestCopy, Math.round(copyRate));
		print("dry run", dryRun, null);
		print("apply", apply, applyBatches);
		print("rollback", rollback, rollbackBatches);
		System.out.printf(Locale.ROOT,
				"[bench]   apply %,d rows/s = %.1f%% of COPY's (target >= 60%%); rollback / apply %.2f "
						+ "(target <= 1.0)%n%n",
				Math.round(applyRate), 100 * applyShare, rollbackRatio);
	}

	/**
	 * Issue 22's second apply: a table of a million rows receiving 10,000 updates, 5,000
	 * inserts and 1,000 deletes, with the drift check and the before-images on; against
	 * {@code COPY} of as many rows into an empty table, and in absolute time.
	 */
	@Test
	void applyAndRollbackOfSixteenThousandChangesToAMillionRows() throws Exception {
		Timed dryRun = timed(() -> SystemActor.call(() -> this.runs.request("bench-mixed", "import", RunMode.DRY_RUN)));
		RunView dry = dryRun.run();
		assertThat(dry.state()).as(String.valueOf(dry.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(dry.counts().inserted()).isEqualTo(MIXED_INSERTS);
		assertThat(dry.counts().updated()).isEqualTo(MIXED_UPDATES);
		assertThat(dry.counts().deleted()).isEqualTo(MIXED_DELETES);
		assertThat(dry.counts().unchanged()).isEqualTo(ROWS - MIXED_INSERTS - MIXED_UPDATES);

		dev.ferry.support.Actors.approved(this.runs, this.approvals, "bench-mixed", "import");
		Timed apply = timed(() -> SystemActor.call(() -> this.runs.request("bench-mixed", "import", RunMode.APPLY)));
		RunView applied = apply.run();
		assertThat(applied.state()).as(String.valueOf(applied.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(applied.counts().inserted()).isEqualTo(MIXED_INSERTS);
		assertThat(applied.counts().updated()).isEqualTo(MIXED_UPDATES);
		assertThat(applied.counts().deleted()).isEqualTo(MIXED_DELETES);
		assertThat(applied.counts().conflicts()).isZero();
		assertThat(mixedCount("items")).isEqualTo(ROWS);
		Map<String, Object> applyBatches = batches(this.mixedUrl, "applied_at", applied.id(), applied.startedAt());

		Timed rollback = timed(() -> SystemActor.call(() -> this.runs.rollback(applied.id())));
		RunView rolledBack = rollback.run();
		assertThat(rolledBack.state()).as(String.valueOf(rolledBack.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(
				mixedCount("items a FULL JOIN items_before b ON a.id = b.id WHERE ROW(a.*) IS DISTINCT FROM ROW(b.*)"))
			.as("every row as before the apply")
			.isZero();

		List<Double> copies = new ArrayList<>();
		for (int k = 0; k < 3; k++) {
			try (Connection c = DriverManager.getConnection(this.mixedUrl, "postgres", "")) {
				try (Statement s = c.createStatement()) {
					s.execute("TRUNCATE changed_copy");
				}
				long start = System.nanoTime();
				assertThat(BenchItems.copyClean(c, "changed_copy", MIXED_CHANGES)).isEqualTo(MIXED_CHANGES);
				copies.add(seconds(start));
			}
		}
		double bestCopy = copies.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
		double share = (MIXED_CHANGES / apply.seconds()) / (MIXED_CHANGES / bestCopy);
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("what",
				"a table of 1,000,000 rows (996,000 before) receiving 10,000 updates, 5,000 inserts and "
						+ "1,000 deletes, drift check and before-images on, batch-size " + BATCH_SIZE
						+ "; baseline: COPY of 16,000 normalized rows into an empty table like it, best of 3");
		figures.put("copyRunsSeconds", copies.stream().map(ImportApplyBenchmark::round).toList());
		figures.put("dryRun", dryRun.figures(ROWS, null));
		figures.put("apply", apply.figures(ROWS, applyBatches));
		figures.put("rollback", rollback.figures(ROWS, null));
		figures.put("applyChangesPerSecondOverCopy", BenchResults.round(share, 3));
		figures.put("rollbackOverApply", BenchResults.round(rollback.seconds() / apply.seconds(), 3));
		BenchResults.put("importApplyMixed", figures);
		System.out.printf(Locale.ROOT,
				"%n[bench] import apply of %,d updates, %,d inserts and %,d deletes into a table of a million rows%n",
				MIXED_UPDATES, MIXED_INSERTS, MIXED_DELETES);
		System.out.printf(Locale.ROOT, "[bench]   COPY of %,d rows %s s%n", MIXED_CHANGES,
				copies.stream().map(ImportApplyBenchmark::round).toList());
		System.out.printf(Locale.ROOT, "[bench]   dry run %.2f s, apply %.2f s (%s), rollback %.2f s%n",
				dryRun.seconds(), apply.seconds(), applyBatches, rollback.seconds());
		System.out.printf(Locale.ROOT,
				"[bench]   apply %,d changes/s = %.1f%% of COPY's rows/s; rollback / apply %.2f%n%n",
				Math.round(MIXED_CHANGES / apply.seconds()), 100 * share, rollback.seconds() / apply.seconds());
	}

	private long mixedCount(String from) throws SQLException {
		try (Connection c = DriverManager.getConnection(this.mixedUrl, "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT count(*) FROM " + from)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static void print(String what, Timed run, Map<String, Object> batches) {
		System.out.printf(Locale.ROOT,
				"[bench]   %s %.2f s (%,d rows/s; waited %.2f s for the scheduler%s; CPU s: run thread %s, JVM %s), "
						+ "peak heap %d MB (pool peaks), %d MB sampled, %d MB after GC%n",
				what, run.seconds(), Math.round(ROWS / run.seconds()), run.queuedSeconds(),
				(batches == null) ? "" : "; batches " + batches, run.cpu().get("runThreadCpuSeconds"),
				run.cpu().get("jvmCpuSeconds"), ((Number) run.heap().get("peakHeapUsedBytes")).longValue() >> 20,
				((Number) run.heap().get("sampledMaxHeapUsedBytes")).longValue() >> 20,
				((Number) run.heap().get("sampledMaxHeapAfterGcBytes")).longValue() >> 20);
	}

	/** Empties items_copy (not timed), then times the COPY of the normalized rows. */
	private double copy() throws SQLException {
		try (Connection c = target()) {
			try (Statement s = c.createStatement()) {
				s.execute("TRUNCATE items_copy");
			}
			long start = System.nanoTime();
			long copied = BenchItems.copyClean(c, "items_copy", ROWS);
			double seconds = seconds(start);
			assertThat(copied).isEqualTo(ROWS);
			return seconds;
		}
	}

	/**
	 * The time between a run's batches from the target's batch ledger: the first batch
	 * (from the run's start), and the median, min and max of the others.
	 */
	private Map<String, Object> batches(String column, long applyRun, Instant runStarted) throws SQLException {
		return batches(this.targetUrl, column, applyRun, runStarted);
	}

	private long count(String from) throws SQLException {
		try (Connection c = target();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT count(*) FROM " + from)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static String git(String... arguments) {
		List<String> command = new ArrayList<>(List.of("git"));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			return (process.waitFor() == 0) ? out : "unknown (" + out + ")";
		}
		catch (IOException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
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

}
