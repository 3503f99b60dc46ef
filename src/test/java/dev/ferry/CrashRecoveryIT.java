package dev.ferry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ferry as a real process, killed. The jar {@code ./mvnw verify} built runs as a child
 * process in demo mode on an H2 file store in a temporary data directory and imports into
 * an embedded PostgreSQL; the test talks to it only through the public API. The child is
 * killed with SIGKILL ({@link Process#destroyForcibly()}) twice during an import apply
 * (the second time while it resumes) and once during its rollback, and started again on
 * the same data directory each time, with Ferry's default settings (four starts of the
 * jar take most of the test's two to four minutes on the shared build machine).
 * <p>
 * Each kill lands after a point the test waited for (the run's {@code done} reaching a
 * value), wherever the run is by then, as a real crash does. Right before each kill the
 * test commits through the API a connection, an approval of another plan's dry run (that
 * plan asks for two operators and the owner, so the three kills' approvals by the owner,
 * an admin and the second operator all fit) and a reviewer's decision on one of the three
 * ambiguous items of that plan's mapping dry run; the child is killed as soon as they are
 * answered. In the store right after the kill and through the API after the restart they
 * are there, with the connection's audit entry, and so is every batch the API had shown.
 * While the child is down, the test also takes the store back by three batches and
 * forgets the run's total, as the store lost them before {@code WRITE_DELAY=0}: the
 * target is then ahead of the store, as after a crash between the target's commit and the
 * store's. At the end the target is compared row by row with the expected table, and the
 * apply's and rollback's counts and progress with those of an uninterrupted run. Recovery
 * time (restart to answering, answering to resumed) is printed; the run resumes within 30
 * seconds of the instance answering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("postgres")
@Tag("integration")
class CrashRecoveryIT {

	/** Source rows: ids 0 to ROWS - 1; the target has 0 to IN_TARGET - 1. */
	static final int ROWS = 40_000;

	static final int IN_TARGET = 10_000;

	/** Target rows the source no longer has: deleted. */
	static final int ONLY_IN_TARGET = 500;

	/**
	 * Change rows per batch: small, so the apply and the rollback (about 1,280 batches
	 * each) run long enough for a kill to land in them after the approval, the decision
	 * and the connection committed before it (about a second on the build machine) and,
	 * for the second kill, after the checks of the restart before it. Each batch commits
	 * in the target and in the store, so fewer rows a batch make the runs longer: at 50 a
	 * run on a lightly loaded machine had only 6,529 of the apply's 31,929 change rows
	 * left when the second kill landed.
	 */
	static final int BATCH = 25;

	/** Batches the test takes the store back by while the child is down. */
	static final int LOST = 3;

	static final String PASSWORD = "crash-test-password";

	static final Duration RESUMED_WITHIN = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	EmbeddedPostgres postgres;

	int port;

	Process child;

	int starts;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	final JsonMapper json = JsonMapper.builder().build();

	final List<String> timings = new ArrayList<>();

	@BeforeAll
	void databases() throws Exception {
		this.postgres = EmbeddedPostgres.builder().start();
		try (Connection c = target(); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE src_stock (id BIGINT PRIMARY KEY, label TEXT NOT NULL, qty INTEGER)");
			s.execute("INSERT INTO src_stock SELECT i, CASE WHEN i % 41 = 0 THEN 'Part ' || i || E'\\twith a tab' "
					+ "ELSE 'Part ' || i END, i % 113 FROM generate_series(0, " + (ROWS - 1) + ") AS i");
			s.execute("CREATE TABLE stock (id BIGINT PRIMARY KEY, label TEXT NOT NULL, qty INTEGER, "
					+ "note TEXT DEFAULT 'kept')");
			s.execute("INSERT INTO stock SELECT i, CASE WHEN i % 7 = 0 THEN 'old ' || i WHEN i % 41 = 0 THEN 'Part ' "
					+ "|| i || E'\\twith a tab' ELSE 'Part ' || i END, i % 113, 'note ' || i FROM generate_series(0, "
					+ (IN_TARGET - 1) + ") AS i");
			s.execute("INSERT INTO stock SELECT 100000 + j, 'gone ' || j, 0, 'only in the target' "
					+ "FROM generate_series(0, " + (ONLY_IN_TARGET - 1) + ") AS j");
			// the side plan's mapping phase: each old person has two namesakes in the new
			// system, so each is ambiguous and waits for a reviewer
			s.execute("CREATE TABLE side_old_people (id INTEGER PRIMARY KEY, name VARCHAR(50))");
			s.execute("CREATE TABLE side_new_people (id INTEGER PRIMARY KEY, name VARCHAR(50))");
			s.execute("CREATE TABLE side_people_map (old_id INTEGER PRIMARY KEY, new_id INTEGER, "
					+ "status VARCHAR(20))");
			s.execute("INSERT INTO side_old_people VALUES (1, 'Ann Lee'), (2, 'Bob Ray'), (3, 'Cy Doe')");
			s.execute("INSERT INTO side_new_people VALUES (10, 'ann lee'), (11, 'ann lee'), (20, 'bob ray'), "
					+ "(21, 'bob ray'), (30, 'cy doe'), (31, 'cy doe')");
		}
		// the children's logs of this run only
		Path logs = Path.of("target", "crash-recovery");
		if (Files.isDirectory(logs)) {
			try (var files = Files.list(logs)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
		}
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
	}

	@AfterAll
	void stop() throws Exception {
		if (this.child != null) {
			this.child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
		this.postgres.close();
		this.timings.forEach(System.out::println);
	}

	@Test
	void applyAndRollbackKilledAndRestartedKeepTheirRecordsAndWriteEveryRowOnce() throws Exception {
		start();
		String pg = this.postgres.getJdbcUrl("postgres", "postgres");
		send("admin", "POST", "/api/v1/connections",
				Map.of("name", "crash-source", "jdbcUrl", pg, "username", "postgres", "password", "", "readOnly", true),
				201);
		send("admin", "POST", "/api/v1/connections",
				Map.of("name", "crash-pg", "jdbcUrl", pg, "username", "postgres", "password", "", "readOnly", false),
				201);
		sendYaml("/api/v1/plans/crash", PLAN);
		Map<Long, String> before = rows();

		// what the approvers sign while the apply runs: the dry run of another plan,
		// which asks for two operators and the owner, so it waits for the approvals of
		// all three kills (requested with the import's dry run: one poll of the
		// scheduler takes both; a plan has one run at a time, so its mapping dry run
		// follows below)
		sendYaml("/api/v1/plans/crash-side", SIDE_PLAN);
		long dryRunId = runId(
				send("operator", "POST", "/api/v1/plans/crash/phases/import/runs", Map.of("mode", "dry-run"), 202));
		long sideDryRun = runId(send("operator", "POST", "/api/v1/plans/crash-side/phases/schema/runs",
				Map.of("mode", "dry-run"), 202));
		JsonNode dryRun = finished(dryRunId);
		assertThat(dryRun.get("state").asString()).as(dryRun.toString()).isEqualTo("succeeded");
		long inserted = dryRun.at("/counts/inserted").asLong();
		long updated = dryRun.at("/counts/updated").asLong();
		long deleted = dryRun.at("/counts/deleted").asLong();
		assertThat(inserted).isEqualTo(ROWS - IN_TARGET);
		assertThat(updated).isEqualTo((IN_TARGET + 6) / 7);
		assertThat(deleted).isEqualTo(ONLY_IN_TARGET);
		long changes = inserted + updated + deleted;
		long batches = (changes + BATCH - 1) / BATCH;
		send("operator2", "POST", "/api/v1/plans/crash/phases/import/approvals",
				Map.of("runId", dryRunId, "comment", "reviewed"), 201);
		JsonNode side = finished(sideDryRun);
		assertThat(side.get("state").asString()).as(side.toString()).isEqualTo("succeeded");
		// what the reviewer decides: the side plan's mapping dry run, whose three items
		// wait in the ambiguous queue, one decided before each kill
		long matchDryRun = runId(
				send("operator", "POST", "/api/v1/plans/crash-side/phases/match/runs", Map.of("mode", "dry-run"), 202));
		JsonNode match = finished(matchDryRun);
		assertThat(match.get("state").asString()).as(match.toString()).isEqualTo("succeeded");
		JsonNode ambiguous = this.json.readTree(
				send("reviewer", "GET", "/api/v1/plans/crash-side/phases/match/mapping?status=ambiguous", null, 200));
		assertThat(ambiguous.get("items").valueStream().map(item -> item.get("oldKey").asString())).containsExactly("1",
				"2", "3");

		// the apply: killed after a tenth, restarted, killed again while it resumes
		long applyId = runId(
				send("operator", "POST", "/api/v1/plans/crash/phases/import/runs", Map.of("mode", "apply"), 202));
		killAt(applyId, changes / 10, "owner", sideDryRun, 1);
		long resumedAt = restartAndResume(applyId, applyId);
		killAt(applyId, resumedAt + changes / 20, "admin", sideDryRun, 2);
		restartAndResume(applyId, applyId);
		JsonNode apply = finished(applyId);
		assertThat(apply.get("state").asString()).as(apply.toString()).isEqualTo("succeeded");
		assertThat(apply.at("/progress/done").asLong()).as("progress as an uninterrupted apply's").isEqualTo(changes);
		assertThat(apply.at("/progress/total").asLong()).isEqualTo(changes);
		assertThat(apply.at("/counts/inserted").asLong()).as("counted once").isEqualTo(inserted);
		assertThat(apply.at("/counts/updated").asLong()).isEqualTo(updated);
		assertThat(apply.at("/counts/deleted").asLong()).isEqualTo(deleted);
		assertThat(apply.at("/counts/read").asLong()).isEqualTo(changes);
		Map<Long, String> expected = new TreeMap<>();
		for (int i = 0; i < ROWS; i++) {
			String label = (i % 41 == 0) ? "Part " + i + "\twith a tab" : "Part " + i;
			expected.put((long) i, label + "|" + (i % 113) + "|" + ((i < IN_TARGET) ? "note " + i : "kept"));
		}
		assertThat(rows()).as("the table is the source, every row written once").isEqualTo(expected);
		try (Connection c = target(); Statement s = c.createStatement()) {
			assertThat(count(s, "SELECT count(*) FROM ferry_apply_batches WHERE run_id = " + applyId))
				.as("each batch in the target's ledger once")
				.isEqualTo(batches);
		}

		// the rollback: killed after a fifth, then the table is as before the apply
		// the apply wrote more than 10,000 rows: the request names the plan
		long rollbackId = runId(
				send("operator", "POST", "/api/v1/runs/" + applyId + "/rollback", Map.of("confirmPlan", "crash"), 202));
		// the third approval, the second operator's, completes the side dry run's
		killAt(rollbackId, (batches + 1) / 5, "operator2", sideDryRun, 3);
		restartAndResume(rollbackId, applyId);
		JsonNode rollback = finished(rollbackId);
		assertThat(rollback.get("state").asString()).as(rollback.toString()).isEqualTo("succeeded");
		assertThat(rollback.at("/progress/done").asLong()).as("progress as an uninterrupted rollback's")
			.isEqualTo(batches + 1);
		assertThat(rollback.at("/progress/total").asLong()).isEqualTo(batches + 1);
		assertThat(rollback.at("/counts/deleted").asLong()).as("the apply's inserts, removed").isEqualTo(inserted);
		assertThat(rollback.at("/counts/updated").asLong()).isEqualTo(updated);
		assertThat(rollback.at("/counts/inserted").asLong()).as("the apply's deletes, put back").isEqualTo(deleted);
		assertThat(rows()).as("every row as before the apply").isEqualTo(before);
		assertThat(finished(applyId).get("state").asString()).isEqualTo("rolled-back");
		JsonNode decided = this.json.readTree(
				send("reviewer", "GET", "/api/v1/plans/crash-side/phases/match/mapping?status=decided", null, 200));
		assertThat(decided.get("items").valueStream().map(item -> item.get("newKey").asString()))
			.as("a decision before each kill")
			.containsExactly("11", "21", "31");
		JsonNode approvals = this.json
			.readTree(send("viewer", "GET", "/api/v1/plans/crash-side/phases/schema/approvals", null, 200));
		assertThat(approvals.get("items")
			.valueStream()
			.filter(approval -> approval.get("valid").asBoolean())
			.map(approval -> approval.get("approvedBy").asString())).as("an approval before each kill, all standing")
			.containsExactlyInAnyOrder("owner", "admin", "operator2");
		JsonNode chain = this.json.readTree(send("admin", "GET", "/api/v1/audit/verify", null, 200));
		assertThat(chain.get("ok").asBoolean()).as(chain.toString()).isTrue();
	}

	static final String PLAN = """
			plan: crash
			source: crash-source
			target: crash-pg
			phases:
			  - id: import
			    kind: import
			    query: SELECT id, label, qty FROM src_stock
			    table: stock
			    key: [id]
			    delete-missing: true
			    columns:
			      id:    { type: integer }
			      label: { required: true }
			      qty:   { type: integer }
			    batch-size: %d
			gates: []
			""".formatted(BATCH);

	static final String SIDE_PLAN = """
			plan: crash-side
			source: crash-source
			target: crash-pg
			approvals: { operators: 2, owner-signoff: true }
			phases:
			  - id: schema
			    kind: sql
			    apply: CREATE TABLE side_notes (id INTEGER PRIMARY KEY, note VARCHAR(80))
			    rollback: DROP TABLE side_notes
			  - id: match
			    kind: mapping
			    old: { table: side_old_people, key: id }
			    new: { table: side_new_people, key: id }
			    block: { old: name, new: name, normalize: [lower] }
			    into: { table: side_people_map, old: old_id, new: new_id, status: status }
			gates: []
			""";

	/**
	 * Waits until the run's {@code done} reaches {@code done}, commits a connection, an
	 * approval of the side plan's dry run by {@code approver} and a reviewer's decision
	 * on the side plan's mapping item {@code kill} through the API, kills the child at
	 * once and checks, in the store, that what the API showed survived.
	 */
	private void killAt(long runId, long done, String approver, long sideDryRun, int kill) throws Exception {
		JsonNode run = until(runId, r -> r.at("/progress/done").asLong() >= done, "done >= " + done);
		long reached = System.nanoTime();
		assertThat(run.get("state").asString()).as("still running at the kill point").isEqualTo("running");
		Committed committed = new Committed(kill, "crash-" + kill, approver, sideDryRun, approve(approver, sideDryRun),
				String.valueOf(kill), String.valueOf(kill * 10 + 1));
		long approved = System.nanoTime();
		decide(committed.oldKey(), committed.newKey());
		long decided = System.nanoTime();
		send("admin", "POST", "/api/v1/connections", Map.of("name", committed.connection(), "jdbcUrl",
				this.postgres.getJdbcUrl("postgres", "postgres"), "username", "postgres", "password", ""), 201);
		long shown = progress(runId).at("/progress/done").asLong();
		this.child.destroyForcibly();
		long killed = System.nanoTime();
		this.timings.add(String.format(
				"kill %d: the writes before it took %.1f s (approval %.1f s, decision %.1f s, connection %.1f s)", kill,
				(killed - reached) / 1e9, (approved - reached) / 1e9, (decided - approved) / 1e9,
				(killed - decided) / 1e9));
		assertThat(this.child.waitFor(30, TimeUnit.SECONDS)).isTrue();
		this.timings
			.add(String.format("kill %d: run #%d killed after done %d (waited for %d)", kill, runId, shown, done));
		try (Connection store = store(); Statement s = store.createStatement()) {
			assertThat(count(s, "SELECT count(*) FROM runs WHERE id = " + runId + " AND state = 'running'"))
				.as("run #%d still running when kill %d landed (not ended during the writes before it)", runId, kill)
				.isEqualTo(1);
			assertThat(count(s, "SELECT progress_done FROM runs WHERE id = " + runId))
				.as("the progress the API showed before kill %d", kill)
				.isGreaterThanOrEqualTo(shown);
			assertThat(
					count(s, "SELECT count(*) FROM connection_profiles WHERE name = '" + committed.connection() + "'"))
				.as("the connection created right before kill %d", kill)
				.isEqualTo(1);
			assertThat(count(s,
					"SELECT count(*) FROM approvals WHERE id = " + committed.approval() + " AND plan = 'crash-side' "
							+ "AND phase = 'schema' AND run_id = " + sideDryRun + " AND approved_by = '" + approver
							+ "'"))
				.as("the approval committed right before kill %d", kill)
				.isEqualTo(1);
			assertThat(count(s,
					"SELECT count(*) FROM mapping_decisions WHERE plan = 'crash-side' AND phase = 'match' "
							+ "AND old_key = '" + committed.oldKey() + "' AND status = 'manual' AND new_key = '"
							+ committed.newKey() + "' AND decided_by = 'reviewer' AND version = 1"))
				.as("the decision committed right before kill %d", kill)
				.isEqualTo(1);
			assertThat(
					count(s, "SELECT count(*) FROM mapping_decisions WHERE plan = 'crash-side' AND status IS NOT NULL"))
				.as("the decisions of the kills so far")
				.isEqualTo(kill);
		}
		this.lastCommitted = committed;
	}

	/** What the test committed through the API right before a kill. */
	record Committed(int kill, String connection, String approver, long sideDryRun, long approval, String oldKey,
			String newKey) {
	}

	private Committed lastCommitted;

	/**
	 * Takes the store back by {@value #LOST} batches and forgets the run's total, starts
	 * the child again and waits until the run has resumed; then checks what was committed
	 * before the kill through the API. Returns the run's {@code done} once resumed.
	 */
	private long restartAndResume(long runId, long applyId) throws Exception {
		long rewound = loseLastBatches(runId, applyId);
		long killed = System.nanoTime();
		start();
		long answering = System.nanoTime();
		JsonNode run = until(runId,
				r -> r.at("/progress/done").asLong() > rewound || !"running".equals(r.get("state").asString()),
				"run #" + runId + " resumed");
		long resumed = System.nanoTime();
		Duration toAnswer = Duration.ofNanos(answering - killed);
		Duration toResume = Duration.ofNanos(resumed - answering);
		this.timings.add(String.format(
				"restart %d: answering %.1f s after the restart began, run #%d resumed %.1f s "
						+ "later (%.1f s in all); state %s, done %d",
				this.starts, toAnswer.toMillis() / 1000.0, runId, toResume.toMillis() / 1000.0,
				(resumed - killed) / 1e9, run.get("state").asString(), run.at("/progress/done").asLong()));
		assertThat(toResume).as("resumed within %s of answering", RESUMED_WITHIN).isLessThanOrEqualTo(RESUMED_WITHIN);
		Committed committed = this.lastCommitted;
		String connection = committed.connection();
		send("admin", "GET", "/api/v1/connections/" + connection, null, 200);
		assertThat(send("admin", "GET", "/api/v1/audit?limit=500", null, 200)).as("the audit entry of " + connection)
			.contains(connection);
		JsonNode approvals = this.json
			.readTree(send("viewer", "GET", "/api/v1/plans/crash-side/phases/schema/approvals", null, 200));
		assertThat(approvals.get("items")
			.valueStream()
			.filter(approval -> approval.get("id").asLong() == committed.approval())
			.map(approval -> approval.get("approvedBy").asString() + " of #" + approval.get("runId").asLong()))
			.as("the approval committed before kill %d", committed.kill())
			.containsExactly(committed.approver() + " of #" + committed.sideDryRun());
		JsonNode item = this.json.readTree(send("viewer", "GET",
				"/api/v1/plans/crash-side/phases/match/mapping/" + committed.oldKey(), null, 200));
		assertThat(item.get("status").asString() + " " + item.get("newKey").asString() + " by "
				+ item.get("decidedBy").asString() + ", version " + item.get("version").asLong())
			.as("the decision committed before kill %d", committed.kill())
			.isEqualTo("manual " + committed.newKey() + " by reviewer, version 1");
		return run.at("/progress/done").asLong();
	}

	/**
	 * Deletes the run's last {@value #LOST} batches from the stopped child's store and
	 * takes their counts off the run (read from the target's ledger, which keeps them),
	 * and forgets its total. Returns the run's {@code done} afterwards.
	 */
	private long loseLastBatches(long runId, long applyId) throws Exception {
		boolean rollback = runId != applyId;
		try (Connection store = store(); Connection target = target()) {
			store.setAutoCommit(false);
			List<long[]> lost = new ArrayList<>();
			try (Statement s = store.createStatement();
					ResultSet rs = s.executeQuery("SELECT batch_no, checkpoint, units FROM run_batches WHERE run_id = "
							+ runId + " ORDER BY batch_no DESC LIMIT " + LOST)) {
				while (rs.next()) {
					lost.add(new long[] { rs.getLong(1), Long.parseLong(rs.getString(2)), rs.getLong(3) });
				}
			}
			assertThat(lost).hasSize(LOST);
			for (long[] batch : lost) {
				String where = rollback ? "after_seq" : "last_seq";
				long[] counts = new long[4];
				try (PreparedStatement select = target.prepareStatement("SELECT rows_read, rows_inserted, "
						+ "rows_updated, rows_deleted FROM ferry_apply_batches WHERE run_id = ? AND " + where
						+ " = ?")) {
					select.setLong(1, applyId);
					select.setLong(2, batch[1]);
					try (ResultSet rs = select.executeQuery()) {
						assertThat(rs.next()).as("batch %d in the target's ledger", batch[1]).isTrue();
						for (int i = 0; i < 4; i++) {
							counts[i] = rs.getLong(i + 1);
						}
					}
				}
				// a rollback removes the apply's inserts and puts its deletes back
				long read = rollback ? counts[1] + counts[2] + counts[3] : counts[0];
				long ins = rollback ? counts[3] : counts[1];
				long del = rollback ? counts[1] : counts[3];
				try (PreparedStatement update = store
					.prepareStatement("UPDATE runs SET progress_done = progress_done - ?, "
							+ "rows_read = rows_read - ?, rows_inserted = rows_inserted - ?, rows_updated = rows_updated - ?, "
							+ "rows_deleted = rows_deleted - ?, progress_total = NULL WHERE id = ?")) {
					update.setLong(1, batch[2]);
					update.setLong(2, read);
					update.setLong(3, ins);
					update.setLong(4, counts[2]);
					update.setLong(5, del);
					update.setLong(6, runId);
					update.executeUpdate();
				}
				try (Statement s = store.createStatement()) {
					s.executeUpdate("DELETE FROM run_batches WHERE run_id = " + runId + " AND batch_no = " + batch[0]);
				}
			}
			store.commit();
			try (Statement s = store.createStatement()) {
				return count(s, "SELECT progress_done FROM runs WHERE id = " + runId);
			}
		}
	}

	private void start() throws Exception {
		Path jar = Path.of(System.getProperty("ferry.jar", "target/ferry-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
		assertThat(jar).exists();
		Path work = Files.createDirectories(this.dir.resolve("work"));
		Path log = Path.of("target", "crash-recovery").toAbsolutePath();
		Files.createDirectories(log);
		this.starts++;
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx768m", "-jar", jar.toString())
			.directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.resolve("ferry-" + this.starts + ".log").toFile());
		builder.environment().put("FERRY_DATA_DIR", this.dir.resolve("data").toString());
		builder.environment().put("FERRY_DEMO_PASSWORD", PASSWORD);
		builder.environment().put("SERVER_PORT", String.valueOf(this.port));
		this.child = builder.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (true) {
			assertThat(this.child.isAlive())
				.as("Ferry is running (see target/crash-recovery/ferry-%d.log)", this.starts)
				.isTrue();
			try {
				// answering as a user: demo mode creates its users once the application
				// has started, after the port is open
				HttpResponse<String> answer = this.http
					.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/connections"))
						.header("Authorization", basic("admin"))
						.build(), HttpResponse.BodyHandlers.ofString());
				if (answer.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			assertThat(System.nanoTime()).as("Ferry answers within 120 s").isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	/** Approves the side plan's dry run; returns the approval's id. */
	private long approve(String approver, long dryRunId) {
		return this.json
			.readTree(send(approver, "POST", "/api/v1/plans/crash-side/phases/schema/approvals",
					Map.of("runId", dryRunId, "comment", "approved by " + approver), 201))
			.get("id")
			.asLong();
	}

	/**
	 * A reviewer picks {@code newKey} for the side plan's ambiguous item {@code oldKey}.
	 */
	private void decide(String oldKey, String newKey) {
		JsonNode item = this.json
			.readTree(send("reviewer", "POST", "/api/v1/plans/crash-side/phases/match/mapping/" + oldKey + "/decision",
					Map.of("status", "manual", "newKey", newKey, "version", 0), 200));
		assertThat(item.get("status").asString()).as(item.toString()).isEqualTo("manual");
	}

	private JsonNode finished(long runId) {
		return until(runId,
				r -> !"running".equals(r.get("state").asString()) && !"queued".equals(r.get("state").asString()),
				"run #" + runId + " finished");
	}

	private JsonNode until(long runId, Predicate<JsonNode> condition, String what) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (true) {
			JsonNode run = progress(runId);
			if (condition.test(run)) {
				return run;
			}
			assertThat(System.nanoTime()).as("waiting for %s: %s", what, run).isLessThan(deadline);
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	private JsonNode progress(long runId) {
		return this.json.readTree(send("viewer", "GET", "/api/v1/runs/" + runId, null, 200));
	}

	private long runId(String body) {
		return this.json.readTree(body).get("runId").asLong();
	}

	private String send(String user, String method, String path, Object body, int status) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", basic(user))
			.header("Content-Type", "application/json")
			.method(method, (body == null) ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)));
		return exchange(request.build(), status, method + " " + path);
	}

	private void sendYaml(String path, String yaml) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Authorization", basic("admin"))
			.header("Content-Type", "application/yaml")
			.PUT(HttpRequest.BodyPublishers.ofString(yaml))
			.build();
		exchange(request, 201, "PUT " + path);
	}

	private String exchange(HttpRequest request, int status, String what) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("%s: %s", what, response.body()).isEqualTo(status);
			return response.body();
		}
		catch (IOException ex) {
			throw new AssertionError(what + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	private Connection target() throws Exception {
		return DriverManager.getConnection(this.postgres.getJdbcUrl("postgres", "postgres"));
	}

	/**
	 * The child's store, with the password it generated beside it; only while the child
	 * is down (H2 locks the file).
	 */
	private Connection store() throws Exception {
		return DriverManager.getConnection(
				"jdbc:h2:file:" + this.dir.resolve("data/store/ferry").toAbsolutePath()
						+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
				"ferry", Files.readString(this.dir.resolve("data/store.password")).strip());
	}

	/** Every row of the target table by id: label|qty|note. */
	private Map<Long, String> rows() throws Exception {
		Map<Long, String> rows = new TreeMap<>();
		try (Connection c = target();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT id, label, qty, note FROM stock")) {
			while (rs.next()) {
				rows.put(rs.getLong(1), rs.getString(2) + "|" + rs.getObject(3) + "|" + rs.getString(4));
			}
		}
		return rows;
	}

	private static long count(Statement s, String sql) throws Exception {
		try (ResultSet rs = s.executeQuery(sql)) {
			assertThat(rs.next()).as(sql).isTrue();
			return rs.getLong(1);
		}
	}

}
