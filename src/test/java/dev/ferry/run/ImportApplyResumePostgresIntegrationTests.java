package dev.ferry.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ferry.gate.ApprovalService;
import dev.ferry.support.Actors;
import dev.ferry.FerryApplication;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.StoredChange;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ferry stopped in the middle of an apply into PostgreSQL, and later in the middle of its
 * rollback, and started again each time. The change set mixes batches that go through the
 * staging table (updates and deletes) with insert-only batches that are copied straight
 * into the table, and the next page is read ahead when Ferry stops. The apply finishes
 * with every row written once (the table is exactly the source, each batch is in the
 * target's ledger once); the rollback finishes with the table exactly as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportApplyResumePostgresIntegrationTests {

	/** Source rows: ids 0 to 29,999; the target has 0 to 9,999 (every 7th different). */
	static final int ROWS = 30_000;

	static final int IN_TARGET = 10_000;

	/** Target rows the source no longer has: deleted. */
	static final int ONLY_IN_TARGET = 500;

	/** Change rows per batch: about 110 batches, so Ferry stops well before the end. */
	static final int BATCH = 200;

	@TempDir
	static Path dir;

	EmbeddedPostgres postgres;

	Path sqlite;

	@BeforeAll
	void databases() throws Exception {
		this.postgres = EmbeddedPostgres.builder().start();
		this.sqlite = dir.resolve("source.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + this.sqlite)) {
			try (Statement s = c.createStatement()) {
				s.execute("CREATE TABLE stock (id INTEGER, label TEXT, qty INTEGER)");
			}
			c.setAutoCommit(false);
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO stock VALUES (?, ?, ?)")) {
				for (int i = 0; i < ROWS; i++) {
					insert.setInt(1, i);
					insert.setString(2, label(i));
					insert.setInt(3, i % 113);
					insert.addBatch();
				}
				insert.executeBatch();
			}
			c.commit();
		}
		try (Connection c = target(); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE stock (id BIGINT PRIMARY KEY, label TEXT NOT NULL, qty INTEGER, "
					+ "note TEXT DEFAULT 'kept')");
			try (PreparedStatement insert = c
				.prepareStatement("INSERT INTO stock (id, label, qty, note) VALUES (?, ?, ?, ?)")) {
				for (int i = 0; i < IN_TARGET; i++) {
					insert.setInt(1, i);
					insert.setString(2, i % 7 == 0 ? "old " + i : label(i));
					insert.setInt(3, i % 113);
					insert.setString(4, "note " + i);
					insert.addBatch();
				}
				for (int j = 0; j < ONLY_IN_TARGET; j++) {
					insert.setInt(1, 100_000 + j);
					insert.setString(2, "gone " + j);
					insert.setInt(3, 0);
					insert.setString(4, "only in the target");
					insert.addBatch();
				}
				insert.executeBatch();
			}
		}
	}

	@AfterAll
	void stop() throws Exception {
		this.postgres.close();
	}

	static String label(int i) {
		return i % 41 == 0 ? "Part " + i + "\twith a tab, a \\ and\na line" : "Part " + i;
	}

	@Test
	void applyAndRollbackEachResumeAfterARestartAndDoTheirWorkOnce() throws Exception {
		Map<Long, String> before = rows();
		long applyId;
		RunView dryRun;
		try (ConfigurableApplicationContext first = start()) {
			SystemActor.run(() -> {
				first.getBean(ConnectionService.class)
					.create(new ConnectionCommand("resume-source", "jdbc:sqlite:" + this.sqlite, null, null, true));
				first.getBean(ConnectionService.class)
					.create(new ConnectionCommand("resume-pg", this.postgres.getJdbcUrl("postgres", "postgres"),
							"postgres", null, false));
				first.getBean(PlanService.class).save(null, PLAN.getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
			});
			RunService runs = first.getBean(RunService.class);
			dryRun = finished(runs, SystemActor.call(() -> runs.request("resume-pg", "import", RunMode.DRY_RUN)));
			assertThat(dryRun.state()).as(String.valueOf(dryRun.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(dryRun.counts().inserted()).isEqualTo(ROWS - IN_TARGET);
			assertThat(dryRun.counts().updated()).isEqualTo((IN_TARGET + 6) / 7);
			assertThat(dryRun.counts().deleted()).isEqualTo(ONLY_IN_TARGET);
			// in key order: the updates fill the first 8 batches, then come batches of
			// inserts only, then the deletes
			List<StoredChange> changes = SystemActor
				.call(() -> first.getBean(ChangeSetService.class).stored(dryRun.id(), 0, ROWS));
			assertThat(changes.subList(0, 7 * BATCH)).extracting(StoredChange::op).containsOnly(ChangeOp.UPDATE);
			assertThat(changes.subList(8 * BATCH, 100 * BATCH)).extracting(StoredChange::op)
				.containsOnly(ChangeOp.INSERT);
			assertThat(changes.subList(changes.size() - ONLY_IN_TARGET, changes.size())).extracting(StoredChange::op)
				.containsOnly(ChangeOp.DELETE);
			applyId = Actors.requestApply(runs, first.getBean(ApprovalService.class), "resume-pg", "import").id();
			// past the batches of updates (the first 8), into the insert-only ones
			waitForBatches(first, applyId, 14);
		}
		try (ConfigurableApplicationContext second = start()) {
			RunService runs = second.getBean(RunService.class);
			RunView apply = finished(runs, SystemActor.call(() -> runs.get(applyId)));
			assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(SystemActor.call(() -> runs.log(applyId))).extracting(RunLogLine::message)
				.anySatisfy(line -> assertThat(line).startsWith("Resumed after"));
			assertThat(apply.counts().inserted()).as("counted once, not once per start")
				.isEqualTo(dryRun.counts().inserted());
			assertThat(apply.counts().updated()).isEqualTo(dryRun.counts().updated());
			assertThat(apply.counts().deleted()).isEqualTo(dryRun.counts().deleted());
			Map<Long, String> expected = new TreeMap<>();
			for (int i = 0; i < ROWS; i++) {
				// a column the plan does not write: kept, or its default for a new row
				expected.put((long) i, label(i) + "|" + (i % 113) + "|" + (i < IN_TARGET ? "note " + i : "kept"));
			}
			assertThat(rows()).as("the table is the source, every row written once").isEqualTo(expected);
			try (Connection c = target(); Statement s = c.createStatement()) {
				long changes = dryRun.counts().inserted() + dryRun.counts().updated() + dryRun.counts().deleted();
				long batches = (changes + BATCH - 1) / BATCH;
				assertThat(count(s, "SELECT count(*) FROM ferry_apply_batches WHERE run_id = " + applyId))
					.as("each batch in the target's ledger once")
					.isEqualTo(batches);
				assertThat(count(s, "SELECT sum(rows_inserted) FROM ferry_apply_batches WHERE run_id = " + applyId))
					.isEqualTo(dryRun.counts().inserted());
			}

			long rollbackId = SystemActor.call(() -> runs.rollback(applyId)).id();
			waitForBatches(second, rollbackId, 5);
			second.close();
			try (ConfigurableApplicationContext third = start()) {
				RunService again = third.getBean(RunService.class);
				RunView rollback = finished(again, SystemActor.call(() -> again.get(rollbackId)));
				assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
				assertThat(SystemActor.call(() -> again.log(rollbackId))).extracting(RunLogLine::message)
					.anySatisfy(line -> assertThat(line).startsWith("Resumed after"))
					.anySatisfy(line -> assertThat(line).contains("the same as right before apply #" + applyId));
				assertThat(rows()).as("every row as before the apply").isEqualTo(before);
				assertThat(SystemActor.call(() -> again.get(applyId)).state()).isEqualTo(RunState.ROLLED_BACK);
			}
		}
	}

	static final String PLAN = """
			plan: resume-pg
			source: resume-source
			target: resume-pg
			phases:
			  - id: import
			    kind: import
			    query: SELECT id, label, qty FROM stock
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

	/** Every row of the target table by id: label|qty|note. */
	private Map<Long, String> rows() throws Exception {
		Map<Long, String> rows = new TreeMap<>();
		try (Connection c = target();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT id, label, qty, note FROM stock")) {
			while (rs.next()) {
				rows.put(rs.getLong(1), rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
			}
		}
		return rows;
	}

	private Connection target() throws Exception {
		return this.postgres.getPostgresDatabase().getConnection();
	}

	private static void waitForBatches(ConfigurableApplicationContext app, long runId, int batches) {
		JdbcClient store = app.getBean(JdbcClient.class);
		Await.until(() -> store.sql("SELECT count(*) FROM run_batches WHERE run_id = ?")
			.param(runId)
			.query(Long.class)
			.single() >= batches, batches + " batches of run #" + runId + " before the shutdown");
	}

	private static long count(Statement s, String sql) throws Exception {
		try (ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static RunView finished(RunService runs, RunView run) {
		Await.until(() -> !SystemActor.call(() -> runs.get(run.id())).state().active(), "run #" + run.id());
		return SystemActor.call(() -> runs.get(run.id()));
	}

	private ConfigurableApplicationContext start() {
		String store = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
		return new SpringApplicationBuilder(FerryApplication.class).profiles("test")
			.run("--spring.datasource.url=" + store, "--server.port=0",
					"--ferry.data-dir=" + dir.resolve("data").toAbsolutePath(), "--db-scheduler.polling-interval=200ms",
					"--db-scheduler.heartbeat-interval=1s");
	}

}
