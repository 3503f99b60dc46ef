package dev.ferry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.ferry.run.RunService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the benchmarks ({@code ./mvnw -Pbench verify}): Ferry on the {@code test}
 * profile, but with its store in an H2 <em>file</em> (Ferry's default store) under
 * {@code target/bench/store} instead of in memory (or, with
 * {@code -Dbench.store=postgres}, in an embedded PostgreSQL), so that a million change
 * rows live on disk and not in the heap being measured. Every benchmark class shares this
 * one application context (the same configuration), and the store and data directory are
 * emptied when it starts. The tag keeps them out of the normal build, even when
 * {@code -Dtest=...} names one.
 */
@Tag("benchmark")
@SpringBootTest
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FerryBench {

	static final Path BENCH = Path.of("target", "bench");

	@Autowired
	RunService runs;

	/**
	 * Ferry's store in this JVM: {@code h2} (an H2 file, Ferry's default) or
	 * {@code postgres} (an embedded PostgreSQL of its own,
	 * {@code -Dbench.store=postgres}; the bench profile runs the benchmarks once with
	 * each).
	 */
	static final String STORE = System.getProperty("bench.store", "h2");

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) {
		delete(BENCH.resolve("store"));
		delete(BENCH.resolve("data-" + STORE));
		if (STORE.equals("postgres")) {
			EmbeddedPostgres store = PostgresStore.INSTANCE;
			registry.add("spring.datasource.url", () -> store.getJdbcUrl("postgres", "postgres"));
			registry.add("spring.datasource.username", () -> "postgres");
			registry.add("spring.datasource.password", () -> "");
			System.out.printf("%n[bench] Ferry's store: PostgreSQL (embedded, port %d)%n", store.getPort());
		}
		else {
			registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + BENCH.resolve("store/ferry").toAbsolutePath()
					+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH" + System.getProperty("bench.storeSettings", ""));
			System.out.printf("%n[bench] Ferry's store: H2 file%n");
		}
		registry.add("ferry.data-dir", () -> BENCH.resolve("data-" + STORE).toAbsolutePath().toString());
		// the tests' tiny sort chunks (700 rows) back to Ferry's default
		registry.add("ferry.import.sort-chunk-rows", () -> "100000");
		// a run is picked up within 100 ms of its request (the tests poll every second)
		registry.add("db-scheduler.polling-interval", () -> "100ms");
	}

	/**
	 * Waits for a run to end, polling every 20 ms, so the time from its request to its
	 * end is known within that; fails after a deadline far beyond any expected duration.
	 */
	RunView finished(long runId) {
		long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
		while (true) {
			RunView run = SystemActor.call(() -> this.runs.get(runId));
			if (!run.state().active()) {
				return run;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Run " + runId + " did not end within 15 minutes: " + run);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for run " + runId, ex);
			}
		}
	}

	/**
	 * Requests a run and waits for its end, with the heap and the CPU watched from the
	 * request on.
	 */
	Timed timed(Supplier<RunView> request) {
		System.gc();
		HeapWatch heap = HeapWatch.start();
		CpuWatch cpu = CpuWatch.start();
		long start = System.nanoTime();
		RunView run = finished(request.get().id());
		double seconds = (System.nanoTime() - start) / 1e9;
		Map<String, Object> heapFigures = heap.figures();
		Map<String, Object> cpuFigures = cpu.figures();
		double queued = Duration.between(run.requestedAt(), run.startedAt()).toMillis() / 1000.0;
		return new Timed(run, seconds, queued, cpuFigures, heapFigures);
	}

	/**
	 * The time between an apply's or a rollback's batches from the target's batch ledger
	 * ({@code column}: {@code applied_at} or {@code rolled_back_at}): the first batch
	 * (from the run's start), and the median, min and max of the others.
	 */
	static Map<String, Object> batches(String url, String column, long applyRun, Instant runStarted)
			throws SQLException {
		List<Instant> at = new ArrayList<>();
		try (Connection c = DriverManager.getConnection(url, "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT " + column + " FROM ferry_apply_batches WHERE run_id = "
						+ applyRun + " AND " + column + " IS NOT NULL ORDER BY " + column)) {
			while (rs.next()) {
				at.add(rs.getTimestamp(1).toInstant());
			}
		}
		List<Double> gaps = new ArrayList<>();
		for (int k = 1; k < at.size(); k++) {
			gaps.add(Duration.between(at.get(k - 1), at.get(k)).toNanos() / 1e9);
		}
		DoubleSummaryStatistics stats = gaps.stream().mapToDouble(Double::doubleValue).summaryStatistics();
		Map<String, Object> batches = new LinkedHashMap<>();
		batches.put("batches", (long) at.size());
		batches.put("firstSeconds",
				at.isEmpty() ? null : BenchResults.round(Duration.between(runStarted, at.get(0)).toNanos() / 1e9, 3));
		batches.put("othersMedianSeconds", gaps.isEmpty() ? null : BenchResults.round(BenchResults.median(gaps), 3));
		batches.put("othersMinSeconds", gaps.isEmpty() ? null : BenchResults.round(stats.getMin(), 3));
		batches.put("othersMaxSeconds", gaps.isEmpty() ? null : BenchResults.round(stats.getMax(), 3));
		return batches;
	}

	/** A run timed from its request to its end, with its CPU and heap figures. */
	record Timed(RunView run, double seconds, double queuedSeconds, Map<String, Object> cpu, Map<String, Object> heap) {

		/** Its figures, rows per second counted over {@code rows}. */
		Map<String, Object> figures(long rows, Map<String, Object> batches) {
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("runId", this.run.id());
			figures.put("seconds", BenchResults.round(this.seconds, 3));
			figures.put("rowsPerSecond", Math.round(rows / this.seconds));
			figures.put("queuedSeconds", this.queuedSeconds);
			figures.put("counts", this.run.counts());
			if (batches != null) {
				figures.put("batches", batches);
			}
			figures.put("cpu", this.cpu);
			figures.put("heap", this.heap);
			return figures;
		}

	}

	/**
	 * The embedded PostgreSQL of the {@code postgres} store: the tests' own, started when
	 * first used.
	 */
	/**
	 * A connection to a scratch database of the store's engine, with the store's settings
	 * (an H2 file opened as Ferry opens its store; a database of its own in the store's
	 * PostgreSQL): for a reference measured on the engine without leaving its data, or
	 * the space it freed, in Ferry's store for the benchmarks after it.
	 * {@link #dropScratch} removes it.
	 */
	static Connection scratch() throws SQLException {
		if (STORE.equals("postgres")) {
			try (Connection c = PostgresStore.INSTANCE.getPostgresDatabase().getConnection();
					Statement s = c.createStatement()) {
				s.execute("DROP DATABASE IF EXISTS bench_scratch");
				s.execute("CREATE DATABASE bench_scratch");
			}
			return PostgresStore.INSTANCE.getDatabase("postgres", "bench_scratch").getConnection();
		}
		delete(BENCH.resolve("scratch"));
		return DriverManager.getConnection("jdbc:h2:file:" + BENCH.resolve("scratch/db").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0", "sa", "");
	}

	/** Removes the scratch database, once its connections are closed. */
	static void dropScratch() throws SQLException {
		if (STORE.equals("postgres")) {
			try (Connection c = PostgresStore.INSTANCE.getPostgresDatabase().getConnection();
					Statement s = c.createStatement()) {
				s.execute("DROP DATABASE IF EXISTS bench_scratch");
			}
			return;
		}
		delete(BENCH.resolve("scratch"));
	}

	private static final class PostgresStore extends dev.ferry.support.PostgresIntegrationTest {

		static final EmbeddedPostgres INSTANCE = postgres();

	}

	static void delete(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
