package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingPage;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.Queue;
import dev.ferry.plan.PlanOrigin;
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
 * A mapping dry run of 1,000,000 old against 1,000,000 new records on PostgreSQL, with
 * name collisions (300,000 new records share their name with one other) and two
 * tie-breakers, against a baseline in the same JVM: PostgreSQL doing the same
 * classification set-based on precomputed normalized values and storing a row per old
 * record ({@link #CLASSIFY}); PostgreSQL's equi-join count of the two sides, the earlier
 * baseline, is printed beside it. It asserts what the dry run found (every old record
 * classified, the planted outcomes, the same counts per status as the baseline's), never
 * how long it took.
 */
class MappingDryRunBenchmark extends FerryBench {

	static final int ROWS = 1_000_000;

	/** New ids {@code k} and {@code k + 850,000} share a name: 150,000 pairs. */
	static final int DISTINCT = 850_000;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	MappingService mappings;

	EmbeddedPostgres postgres;

	String url;

	final Map<String, Object> figures = new LinkedHashMap<>();

	@BeforeAll
	void datasets() throws Exception {
		this.postgres = EmbeddedPostgres.builder().start();
		try (Connection c = this.postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE bench_map");
		}
		this.url = this.postgres.getJdbcUrl("postgres", "bench_map");
		long start = System.nanoTime();
		try (Connection c = DriverManager.getConnection(this.url, "postgres", ""); Statement s = c.createStatement()) {
			// names of two hex words; ids k and k + 850,000 share one
			s.execute("CREATE TABLE new_items AS SELECT id, initcap(substr(md5((id % " + DISTINCT
					+ ")::text), 1, 6)) || ' ' || initcap(substr(md5(((id % " + DISTINCT + ") * 7 + 3)::text), 1, 5)) "
					+ "AS name, 1950 + (id % 70) AS year, 'M' || lpad((id % 997)::text, 3, '0') AS maker "
					+ "FROM generate_series(1, " + ROWS + ") id");
			s.execute("ALTER TABLE new_items ADD PRIMARY KEY (id)");
			// each old record is its new record spelled otherwise (case, spaces), 1 in 50
			// without a year, 1 in 100 misspelled
			s.execute("CREATE TABLE old_items AS SELECT id, CASE WHEN id % 100 = 7 THEN name || 'x' WHEN id % 3 = 0 "
					+ "THEN upper(name) WHEN id % 3 = 1 THEN lower(name) ELSE '  ' || replace(name, ' ', '   ') END "
					+ "AS name, CASE WHEN id % 50 = 0 THEN NULL ELSE year END AS year, lower(maker) AS maker_code "
					+ "FROM new_items");
			s.execute("ALTER TABLE old_items ADD PRIMARY KEY (id)");
			s.execute("CREATE TABLE items_map (old_id BIGINT PRIMARY KEY, new_id BIGINT, status VARCHAR(20) NOT NULL, "
					+ "confidence DECIMAL(5, 4))");
			// the baseline's input: the names normalized as the plan normalizes them
			// (the names are ASCII, so strip-accents changes nothing)
			s.execute("CREATE TABLE old_norm AS SELECT lower(btrim(regexp_replace(name, '\\s+', ' ', 'g'))) AS norm "
					+ "FROM old_items");
			s.execute("CREATE TABLE new_norm AS SELECT lower(btrim(regexp_replace(name, '\\s+', ' ', 'g'))) AS norm "
					+ "FROM new_items");
			// the classification baseline's input: key, normalized block value (NULL when
			// empty: no candidates) and the tie-breakers' values as the plan normalizes
			// them
			s.execute("CREATE TABLE old_class AS SELECT id, nullif(lower(btrim(regexp_replace(name, '\\s+', ' ', "
					+ "'g'))), '') AS norm, year::text AS year, upper(btrim(maker_code)) AS maker FROM old_items");
			s.execute("CREATE TABLE new_class AS SELECT id, nullif(lower(btrim(regexp_replace(name, '\\s+', ' ', "
					+ "'g'))), '') AS norm, year::text AS year, upper(btrim(maker)) AS maker FROM new_items");
			s.execute("ANALYZE");
		}
		Map<String, Object> dataset = new LinkedHashMap<>();
		dataset.put("oldRows", ROWS);
		dataset.put("newRows", ROWS);
		dataset.put("sharedNames", ROWS - DISTINCT);
		dataset.put("generateSeconds", round(seconds(start)));
		dataset.put("interpretation",
				"new names are two hex words, ids k and k + 850,000 share one; old records "
						+ "are their new record re-cased or re-spaced, 1 in 50 without a year, 1 in 100 misspelled; "
						+ "tie-breakers year (0.6) and maker (0.4)");
		this.figures.put("dataset", dataset);
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("map-pg", this.url, "postgres", null, false));
			this.plans.save(null, PLAN.getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		this.figures.put("plan", PLAN);
	}

	static final String PLAN = """
			plan: bench-map
			source: map-pg
			target: map-pg
			phases:
			  - id: map
			    kind: mapping
			    old: { table: old_items, key: id }
			    new: { table: new_items, key: id }
			    block: { old: name, new: name, normalize: [trim, collapse-spaces, lower, strip-accents] }
			    tie-breakers:
			      - { old: year, new: year, weight: 0.6 }
			      - { old: maker_code, new: maker, weight: 0.4, normalize: [trim, upper] }
			    accept: { min-score: 0.8, min-margin: 0.2 }
			    into: { table: items_map, old: old_id, new: new_id, status: status, confidence: confidence }
			gates: []
			""";

	@AfterAll
	void stopPostgres() throws IOException {
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@Test
	void aMillionByAMillionAgainstASetBasedClassification() throws Exception {
		// the baseline: PostgreSQL classifying set-based and storing a row per old record
		List<Double> classifications = new ArrayList<>();
		Map<String, Long> classified = Map.of();
		for (int i = 0; i < 2; i++) {
			long start = System.nanoTime();
			classified = classify(i);
			classifications.add(seconds(start));
		}
		assertThat(classified.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ROWS);
		List<Double> baselines = new ArrayList<>();
		long pairs = 0;
		for (int i = 0; i < 2; i++) {
			long start = System.nanoTime();
			pairs = joinPairs();
			baselines.add(seconds(start));
		}
		// every old name matches its own new record's, the shared ones twice; the
		// misspelled match nothing
		assertThat(pairs).isGreaterThan(ROWS);
		// a reference, not the baseline: the same join writing its pairs (with both
		// names) into a table, i.e. what storing a result per pair costs PostgreSQL
		// itself
		long written = System.nanoTime();
		long stored = storePairs();
		double storeSeconds = seconds(written);
		assertThat(stored).isEqualTo(pairs);

		System.gc();
		HeapWatch heap = HeapWatch.start();
		CpuWatch cpu = CpuWatch.start();
		long start = System.nanoTime();
		RunView run = finished(SystemActor.call(() -> this.runs.request("bench-map", "map", RunMode.DRY_RUN)).id());
		double seconds = seconds(start);
		Map<String, Object> heapFigures = heap.figures();
		Map<String, Object> cpuFigures = cpu.figures();
		assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(RunState.SUCCEEDED);
		Coverage coverage = SystemActor.call(() -> this.mappings.coverage("bench-map", "map")).orElseThrow();
		assertThat(coverage.all()).isEqualTo(ROWS);
		assertThat(coverage.unresolved()).as("the misspelled, 1 in 100").isEqualTo(ROWS / 100);
		assertThat(coverage.auto()).isGreaterThan(ROWS * 9 / 10);
		// the same classification as PostgreSQL's, status by status
		assertThat(Map.of("auto", coverage.auto(), "ambiguous", coverage.ambiguous(), "unresolved",
				coverage.unresolved(), "conflict", coverage.conflict()))
			.isEqualTo(withZeros(classified));
		// suggestions: a misspelled old record's right new record has its id, and its
		// year
		// and maker tell it from the other record of the same name
		long rightFirst = 0;
		long unresolved = 0;
		String after = null;
		do {
			String from = after;
			MappingPage page = SystemActor
				.call(() -> this.mappings.items("bench-map", "map", Queue.UNRESOLVED, null, from, 500));
			for (MappingItem item : page.items()) {
				unresolved++;
				if (!item.suggestions().isEmpty() && item.suggestions().get(0).newKey().equals(item.oldKey())) {
					rightFirst++;
				}
			}
			after = page.next();
		}
		while (after != null);
		assertThat(unresolved).isEqualTo(ROWS / 100);
		assertThat(rightFirst).as("the right record first").isGreaterThanOrEqualTo(unresolved * 95 / 100);
		List<RunLogLine> log = SystemActor.call(() -> this.runs.log(run.id()));
		List<String> suggesting = log.stream()
			.map(RunLogLine::message)
			.filter(message -> message.startsWith("Suggested"))
			.toList();
		// where the time went: each line of the run's log with the seconds since its
		// first
		List<String> timeline = log.stream()
			.map(line -> String.format(Locale.ROOT, "%6.2f s  %s",
					Duration.between(log.get(0).at(), line.at()).toMillis() / 1000.0, line.message()))
			.toList();

		double classifiedBest = classifications.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
		double ratio = seconds / classifiedBest;
		Map<String, Object> classification = new LinkedHashMap<>();
		classification.put("what", "CREATE UNLOGGED TABLE ... AS SELECT over old_class LEFT JOIN new_class ON the "
				+ "normalized name: each candidate's weighted score, ranked per old record (window functions), one "
				+ "row per old record with its best candidate, best score, runner-up's score, candidate count and "
				+ "status by the plan's accept (inputs normalized beforehand, not timed), twice");
		classification.put("sql", CLASSIFY.formatted("classified_n"));
		classification.put("runsSeconds", classifications.stream().map(MappingDryRunBenchmark::round).toList());
		classification.put("statuses", classified);
		this.figures.put("baseline", classification);
		double best = baselines.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
		Map<String, Object> countJoin = new LinkedHashMap<>();
		countJoin.put("what", "SELECT count(*) FROM old_norm o JOIN new_norm n ON o.norm = n.norm (names normalized "
				+ "beforehand, not timed; statistics gathered), twice: the earlier baseline, a reference now");
		countJoin.put("runsSeconds", baselines.stream().map(MappingDryRunBenchmark::round).toList());
		countJoin.put("pairs", pairs);
		countJoin.put("dryRunOverCountJoin", BenchResults.round(seconds / best, 1));
		this.figures.put("countJoin", countJoin);
		Map<String, Object> reference = new LinkedHashMap<>();
		reference.put("what", "CREATE UNLOGGED TABLE ... AS SELECT o.norm, n.norm FROM old_norm o JOIN new_norm n "
				+ "ON o.norm = n.norm, once: the join writing each pair into a table");
		reference.put("seconds", round(storeSeconds));
		this.figures.put("joinWritingItsPairs", reference);
		Map<String, Object> dryRun = new LinkedHashMap<>();
		dryRun.put("runId", run.id());
		dryRun.put("seconds", round(seconds));
		dryRun.put("auto", coverage.auto());
		dryRun.put("ambiguous", coverage.ambiguous());
		dryRun.put("unresolved", coverage.unresolved());
		dryRun.put("conflict", coverage.conflict());
		dryRun.put("suggestionsRightFirst", rightFirst);
		dryRun.put("suggestionPasses", suggesting);
		dryRun.put("timeline", timeline);
		dryRun.put("cpu", cpuFigures);
		dryRun.put("heap", heapFigures);
		this.figures.put("dryRun", dryRun);
		// what the store's engine itself needs to hold a million items the way the
		// review queue reads them, without Ferry: the floor of the dry run's storing
		Map<String, Object> itemRows = new LinkedHashMap<>();
		itemRows.put("what", "a million rows shaped like the benchmark's auto items (the columns of mapping_items, "
				+ "old values and one candidate as JSON, search text), inserted in JDBC batches of 5,000 with a commit "
				+ "each into a scratch database of the store's engine with the store's settings, by the benchmark, not by Ferry: into a table with the queue's primary key and "
				+ "two indexes (as mapping_items), and into one with no key or index at all");
		itemRows.put("withTheQueuesIndexesSeconds", round(insertItemRows(true)));
		itemRows.put("withoutAnyIndexSeconds", round(insertItemRows(false)));
		this.figures.put("storeEngineItemRows", itemRows);
		Map<String, Object> comparison = new LinkedHashMap<>();
		comparison.put("dryRunOverBaseline", BenchResults.round(ratio, 2));
		comparison.put("target", "<= 4.0 and <= 20 s");
		comparison.put("withinTarget", ratio <= 4.0 && seconds <= 20);
		this.figures.put("comparison", comparison);
		BenchResults.put("mappingDryRun", this.figures);

		System.out.printf(Locale.ROOT,
				"%n[bench] mapping dry run, %,d old x %,d new records on PostgreSQL, -Xmx %d MB, " + "%d cores%n", ROWS,
				ROWS, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
		System.out.printf(Locale.ROOT,
				"[bench]   baseline: PostgreSQL's set-based classification into a table %s s, best %.2f s, %s%n",
				classification.get("runsSeconds"), classifiedBest, classified);
		System.out.printf(Locale.ROOT,
				"[bench]   reference: equi-join count %s s, best %.2f s, %,d pairs (dry run / count join %.1f)%n",
				countJoin.get("runsSeconds"), best, pairs, seconds / best);
		System.out.printf(Locale.ROOT,
				"[bench]   dry run %.2f s: %,d auto, %,d ambiguous, %,d unresolved, %,d conflict; CPU s: run thread %s, "
						+ "JVM %s; peak heap %d MB (pool peaks), %d MB after GC%n",
				seconds, coverage.auto(), coverage.ambiguous(), coverage.unresolved(), coverage.conflict(),
				cpuFigures.get("runThreadCpuSeconds"), cpuFigures.get("jvmCpuSeconds"),
				((Number) heapFigures.get("peakHeapUsedBytes")).longValue() >> 20,
				((Number) heapFigures.get("sampledMaxHeapAfterGcBytes")).longValue() >> 20);
		System.out.printf(Locale.ROOT, "[bench]   suggestions: the right record first for %,d of %,d unresolved; %s%n",
				rightFirst, unresolved, suggesting);
		System.out.printf(Locale.ROOT, "[bench]   reference: the join writing its pairs into a table %.2f s%n",
				storeSeconds);
		timeline.forEach(line -> System.out.printf(Locale.ROOT, "[bench]     %s%n", line));
		System.out.printf(Locale.ROOT,
				"[bench]   reference: the store's engine inserting 1M item-shaped rows itself: %s s with the queue's "
						+ "indexes, %s s into a table without any%n",
				itemRows.get("withTheQueuesIndexesSeconds"), itemRows.get("withoutAnyIndexSeconds"));
		System.out.printf(Locale.ROOT, "[bench]   dry run / classification %.1f (target <= 4.0, and <= 20 s)%n%n",
				ratio);
	}

	/**
	 * Inserts {@link #ROWS} rows shaped like the benchmark's auto items into a table of a
	 * scratch database of the store's engine ({@link #scratch}), in batches of 5,000 with
	 * a commit each (as the dry run stores them), and drops the database: the seconds it
	 * took. Not in Ferry's store, so that the benchmarks after this one measure a store
	 * without two dropped tables of a million rows in its file.
	 * @param indexed with the primary key and indexes of {@code mapping_items}, or none
	 */
	double insertItemRows(boolean indexed) throws SQLException {
		try (Connection c = scratch(); Statement s = c.createStatement()) {
			s.execute("""
					CREATE TABLE bench_item_rows (run_id BIGINT NOT NULL, seq BIGINT NOT NULL, old_key VARCHAR(400)
					NOT NULL, status VARCHAR(12) NOT NULL, best_score DOUBLE PRECISION, best_new_key VARCHAR(400),
					second_score DOUBLE PRECISION, candidate_count INT NOT NULL, old_values VARCHAR(8000) NOT NULL,
					candidates_json VARCHAR, search_text VARCHAR(4000) NOT NULL, suggestions_json VARCHAR,
					best_differs VARCHAR(400), block_prefix VARCHAR(4))""");
			if (indexed) {
				s.execute("ALTER TABLE bench_item_rows ADD CONSTRAINT bench_item_rows_pk PRIMARY KEY (run_id, seq)");
				s.execute("CREATE INDEX bench_item_rows_status ON bench_item_rows (run_id, status, seq)");
				s.execute("CREATE UNIQUE INDEX bench_item_rows_key ON bench_item_rows (run_id, old_key)");
			}
			c.setAutoCommit(false);
			long start = System.nanoTime();
			try (java.sql.PreparedStatement insert = c.prepareStatement("""
					INSERT INTO bench_item_rows (run_id, seq, old_key, status, best_score, best_new_key, second_score,
					candidate_count, old_values, candidates_json, search_text, suggestions_json, best_differs,
					block_prefix) VALUES (?, ?, ?, 'auto', 1.0, ?, NULL, 1, ?, ?, ?, NULL, '|', ?)""")) {
				for (int i = 1; i <= ROWS; i++) {
					String key = Integer.toString(i);
					String name = "Abc" + Integer.toHexString(i * 31) + " Def" + Integer.toHexString(i * 7);
					String maker = "M" + (i % 997);
					insert.setLong(1, 1);
					insert.setLong(2, i);
					insert.setString(3, key);
					insert.setString(4, key);
					insert.setString(5, "[\"" + name + "\",\"" + (1950 + i % 70) + "\",\"" + maker + "\"]");
					insert.setString(6, "[{\"newKey\":\"" + key + "\",\"score\":1.0,\"breakdown\":[1.0,1.0],"
							+ "\"record\":[\"" + name + "\",\"" + (1950 + i % 70) + "\",\"" + maker + "\"]}]");
					insert.setString(7,
							(key + " " + name + " " + (1950 + i % 70) + " " + maker).toLowerCase(Locale.ROOT));
					insert.setString(8, "A");
					insert.addBatch();
					if (i % 5000 == 0) {
						insert.executeBatch();
						c.commit();
					}
				}
			}
			return seconds(start);
		}
		finally {
			dropScratch();
		}
	}

	/**
	 * What a mapping dry run computes, done by PostgreSQL set-based (the plan's rules
	 * written out for this plan: year 0.6, maker 0.4, accept 0.8 / 0.2, no unique-new): a
	 * row per old record into an unlogged table. {@code %s} is the table's name.
	 */
	static final String CLASSIFY = """
			CREATE UNLOGGED TABLE %s AS
			SELECT old_id, best_new_id, best_score, second_score, candidates,
			  CASE WHEN candidates = 0 THEN 'unresolved'
			    WHEN best_score >= 0.8 - 1e-9 AND best_score - coalesce(second_score, 0) >= 0.2 - 1e-9 THEN 'auto'
			    ELSE 'ambiguous' END AS status
			FROM (
			  SELECT old_id, new_id AS best_new_id, score AS best_score, lead(score) OVER w AS second_score,
			    count(new_id) OVER (PARTITION BY old_id) AS candidates, row_number() OVER w AS rank
			  FROM (
			    SELECT o.id AS old_id, n.id AS new_id,
			      CASE WHEN n.id IS NULL THEN NULL
			        ELSE (0.6::float8 * (CASE WHEN o.year = n.year THEN 1 ELSE 0 END)
			          + 0.4::float8 * (CASE WHEN o.maker = n.maker THEN 1 ELSE 0 END)) / 1.0::float8 END AS score
			    FROM old_class o LEFT JOIN new_class n ON o.norm = n.norm
			  ) scored
			  WINDOW w AS (PARTITION BY old_id ORDER BY score DESC NULLS LAST, new_id)
			) ranked
			WHERE rank = 1
			""";

	/** Runs {@link #CLASSIFY} into a table of its own; its count per status. */
	private Map<String, Long> classify(int attempt) throws SQLException {
		String table = "classified_" + attempt;
		Map<String, Long> statuses = new LinkedHashMap<>();
		try (Connection c = DriverManager.getConnection(this.url, "postgres", ""); Statement s = c.createStatement()) {
			s.executeUpdate(CLASSIFY.formatted(table));
			try (ResultSet rs = s
				.executeQuery("SELECT status, count(*) FROM " + table + " GROUP BY status ORDER BY status")) {
				while (rs.next()) {
					statuses.put(rs.getString(1), rs.getLong(2));
				}
			}
			s.execute("DROP TABLE " + table);
		}
		return statuses;
	}

	private static Map<String, Long> withZeros(Map<String, Long> statuses) {
		Map<String, Long> all = new LinkedHashMap<>(
				Map.of("auto", 0L, "ambiguous", 0L, "unresolved", 0L, "conflict", 0L));
		all.putAll(statuses);
		return all;
	}

	private long joinPairs() throws SQLException {
		try (Connection c = DriverManager.getConnection(this.url, "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT count(*) FROM old_norm o JOIN new_norm n ON o.norm = n.norm")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private long storePairs() throws SQLException {
		try (Connection c = DriverManager.getConnection(this.url, "postgres", ""); Statement s = c.createStatement()) {
			return s
				.executeUpdate("CREATE UNLOGGED TABLE stored_pairs AS SELECT o.norm AS old_norm, n.norm AS new_norm "
						+ "FROM old_norm o JOIN new_norm n ON o.norm = n.norm");
		}
	}

	static double seconds(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

	static double round(double value) {
		return BenchResults.round(value, 3);
	}

}
