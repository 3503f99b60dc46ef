package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.plan.PlanService;
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
 * Ten million rows (issue 22): the import dry run, apply and rollback of 10,000,000 new
 * rows from SQLite into an empty PostgreSQL table, and the same of 1,000,000 rows in the
 * same JVM before and after, so that the time per million rows can be compared (linear is
 * the same figure; the faster of the two small runs counts, the first being the JVM's
 * warm-up). For each run: its time, the heap sampled through it in tenths of its duration
 * (flat means the same after-GC figure in the last tenth as in the first), and after the
 * dry run the store's disk use per change row. It asserts that each run is right (every
 * row inserted, the table empty again after the rollback with its checksum from before),
 * never how long it took. {@code -Dbench.scaleRows=N} measures N rows instead of ten
 * million. It runs last of the benchmarks (they run in reverse alphabetical order), so
 * the others measure a store without its eleven million rows.
 */
class AtScaleImportBenchmark extends FerryBench {

	static final int LARGE = Integer.getInteger("bench.scaleRows", 10_000_000);

	static final int SMALL = 1_000_000;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	ApprovalService approvals;

	@Autowired
	DataSource store;

	EmbeddedPostgres postgres;

	final Map<String, Object> figures = new LinkedHashMap<>();

	@BeforeAll
	void start() throws IOException {
		this.postgres = EmbeddedPostgres.builder().start();
	}

	@AfterAll
	void stop() throws IOException {
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@Test
	void tenMillionRowsAgainstOneMillion() throws Exception {
		// the small size before and after the large one: the first run of a JVM is also
		// its warm-up, so each step compares with the faster of the two
		Map<String, Object> small = measure(SMALL, "first");
		Map<String, Object> large = measure(LARGE, "large");
		Map<String, Object> smallAgain = measure(SMALL, "again");
		Map<String, Object> perMillion = new LinkedHashMap<>();
		for (String step : List.of("dryRun", "apply", "rollback")) {
			double smallSeconds = Math.min(secondsPerMillion(small, step), secondsPerMillion(smallAgain, step));
			double largeSeconds = secondsPerMillion(large, step);
			Map<String, Object> compared = new LinkedHashMap<>();
			compared.put("smallSecondsPerMillion", BenchResults.round(smallSeconds, 3));
			compared.put("small", "the faster of the two runs of " + SMALL + " rows");
			compared.put("largeSecondsPerMillion", BenchResults.round(largeSeconds, 3));
			compared.put("largeOverSmall", BenchResults.round(largeSeconds / smallSeconds, 3));
			compared.put("target", "<= 1.2");
			perMillion.put(step, compared);
		}
		this.figures.put("rows", Map.of("small", SMALL, "large", LARGE));
		this.figures.put("small", small);
		this.figures.put("large", large);
		this.figures.put("smallAgain", smallAgain);
		this.figures.put("secondsPerMillionRows", perMillion);
		BenchResults.put("importAtScale", this.figures);

		System.out.printf(Locale.ROOT,
				"%n[bench] import at scale: %,d and %,d inserts into an empty PostgreSQL table, "
						+ "-Xmx %d MB, %d cores%n",
				SMALL, LARGE, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
		for (Map<String, Object> size : List.of(small, large, smallAgain)) {
			System.out.printf(Locale.ROOT,
					"[bench]   %,d rows: source written in %s s; store %s bytes per change row "
							+ "(%s MB), report files %s MB%n",
					size.get("rows"), size.get("sourceWriteSeconds"), size.get("storeBytesPerChangeRow"),
					size.get("storeGrowthMb"), size.get("reportFilesMb"));
			for (String step : List.of("dryRun", "apply", "rollback")) {
				@SuppressWarnings("unchecked")
				Map<String, Object> run = (Map<String, Object>) size.get(step);
				@SuppressWarnings("unchecked")
				Map<String, Object> heap = (Map<String, Object>) run.get("heap");
				System.out.printf(Locale.ROOT,
						"[bench]     %s %s s (%,d rows/s); heap used/after GC (MB) by tenth " + "of the run: %s%n",
						step, run.get("seconds"), run.get("rowsPerSecond"), tenths(heap.get("byTenthOfTheRun")));
			}
		}
		for (Map.Entry<String, Object> step : perMillion.entrySet()) {
			Map<?, ?> compared = (Map<?, ?>) step.getValue();
			System.out.printf(Locale.ROOT,
					"[bench]   %s: %s s per million at %,d rows, %s s at %,d: %s x " + "(target <= 1.2)%n",
					step.getKey(), compared.get("smallSecondsPerMillion"), SMALL,
					compared.get("largeSecondsPerMillion"), LARGE, compared.get("largeOverSmall"));
		}
		System.out.println();
	}

	/** The dry run, apply and rollback of {@code rows} inserts into an empty table. */
	private Map<String, Object> measure(int rows, String which) throws Exception {
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("rows", rows);
		String name = "scale-" + which;
		Path sqlite = BENCH.resolve("source/" + name + ".db").toAbsolutePath();
		long written = System.nanoTime();
		BenchItems.writeSource(sqlite, rows);
		figures.put("sourceWriteSeconds", BenchResults.round((System.nanoTime() - written) / 1e9, 1));
		figures.put("sourceFileBytes", Files.size(sqlite));
		String database = "bench_" + which;
		try (Connection c = this.postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE " + database);
		}
		String url = this.postgres.getJdbcUrl("postgres", database);
		try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items "
					+ BenchItems.TARGET_COLUMNS.replace("(id BIGINT NOT NULL,", "(id BIGINT NOT NULL PRIMARY KEY,"));
		}
		BenchItems.registerPlan(this.connections, this.plans, name, name + "-sqlite", sqlite, name + "-pg", url, null);

		long storeBefore = storeBytes();
		long reportsBefore = reportBytes();
		Timed dryRun = timed(() -> SystemActor.call(() -> this.runs.request(name, "import", RunMode.DRY_RUN)));
		RunView dry = dryRun.run();
		assertThat(dry.state()).as(String.valueOf(dry.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(dry.counts().inserted()).isEqualTo(rows);
		long storeGrowth = storeBytes() - storeBefore;
		figures.put("storeGrowthMb", storeGrowth >> 20);
		figures.put("storeBytesPerChangeRow", BenchResults.round((double) storeGrowth / rows, 1));
		figures.put("storeMeasure", STORE.equals("postgres") ? "pg_database_size of Ferry's store, after - before"
				: "size of Ferry's H2 store file, after - before");
		figures.put("reportFilesMb", (reportBytes() - reportsBefore) >> 20);
		figures.put("dryRun", dryRun.figures(rows, null));

		dev.ferry.support.Actors.approved(this.runs, this.approvals, name, "import");
		Timed apply = timed(() -> SystemActor.call(() -> this.runs.request(name, "import", RunMode.APPLY)));
		RunView applied = apply.run();
		assertThat(applied.state()).as(String.valueOf(applied.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(applied.counts().inserted()).isEqualTo(rows);
		assertThat(count(url)).isEqualTo(rows);
		figures.put("apply", apply.figures(rows, batches(url, "applied_at", applied.id(), applied.startedAt())));

		Timed rollback = timed(() -> SystemActor.call(() -> this.runs.rollback(applied.id())));
		RunView rolledBack = rollback.run();
		assertThat(rolledBack.state()).as(String.valueOf(rolledBack.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(rolledBack.counts().deleted()).isEqualTo(rows);
		assertThat(count(url)).isZero();
		assertThat(SystemActor.call(() -> this.runs.log(rolledBack.id())).stream().map(RunLogLine::message))
			.anySatisfy(line -> assertThat(line).contains("the same as right before apply #" + applied.id()));
		figures.put("rollback",
				rollback.figures(rows, batches(url, "rolled_back_at", applied.id(), rolledBack.startedAt())));
		Files.delete(sqlite);
		return figures;
	}

	/** What Ferry's store takes on disk now. */
	private long storeBytes() throws SQLException, IOException {
		if (STORE.equals("postgres")) {
			try (Connection c = this.store.getConnection();
					Statement s = c.createStatement();
					ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
				rs.next();
				return rs.getLong(1);
			}
		}
		// H2 writes its pages out in the background: a checkpoint first
		try (Connection c = this.store.getConnection(); Statement s = c.createStatement()) {
			s.execute("CHECKPOINT");
		}
		return Files.size(BENCH.resolve("store/ferry.mv.db"));
	}

	/**
	 * What the report files (the change sets' CSV downloads) take in the data directory.
	 */
	private static long reportBytes() throws IOException {
		Path data = BENCH.resolve("data-" + STORE);
		if (!Files.exists(data)) {
			return 0;
		}
		try (Stream<Path> files = Files.walk(data)) {
			return files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
		}
	}

	private static long count(String url) throws SQLException {
		try (Connection c = DriverManager.getConnection(url, "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	@SuppressWarnings("unchecked")
	private static double secondsPerMillion(Map<String, Object> size, String step) {
		double seconds = ((Number) ((Map<String, Object>) size.get(step)).get("seconds")).doubleValue();
		return seconds / (((Number) size.get("rows")).doubleValue() / 1_000_000);
	}

	private static String tenths(Object byTenth) {
		StringBuilder text = new StringBuilder();
		for (Object tenth : (List<?>) byTenth) {
			Map<?, ?> figures = (Map<?, ?>) tenth;
			text.append(text.isEmpty() ? "" : " ")
				.append(figures.get("usedMb"))
				.append('/')
				.append(figures.get("afterGcMb"));
		}
		return text.toString();
	}

}
