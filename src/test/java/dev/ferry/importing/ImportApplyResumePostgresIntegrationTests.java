package dev.ferry.importing;

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
import java.util.stream.IntStream;

import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
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
import dev.ferry.support.BatchHold;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
 * into the table, and the next page is read ahead when Ferry stops (each run is held
 * between two batches with {@link BatchHold}, so the context closes at a known batch).
 * The apply finishes with every row written once (the table is exactly the source, each
 * batch is in the target's ledger once); the rollback finishes with the table exactly as
 * before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("postgres")
@Tag("integration")
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

	/** Apply batches committed when the first context closes: past the updates. */
	static final int APPLY_HELD_AFTER = 14;

	/** Rollback batches committed when the second context closes. */
	static final int ROLLBACK_HELD_AFTER = 5;

	@AfterEach
	void disarm() {
		BatchHold.disarm();
	}

	@Test
	void applyAndRollbackEachResumeAfterARestartAndDoTheirWorkOnce() throws Exception {
		Map<Long, String> before = rows();
		long applyId;
		RunView dryRun;
		List<ChangeOp> ops;
		BatchHold.Hold applyHeld = BatchHold.afterBatches("resume-pg", "import", RunMode.APPLY, APPLY_HELD_AFTER);
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
			ops = changes.stream().map(StoredChange::op).toList();
			applyId = Actors.requestApply(runs, first.getBean(ApprovalService.class), "resume-pg", "import").id();
			// past the batches of updates (the first 8), into the insert-only ones
			assertThat(applyHeld.awaitHeld()).isEqualTo(applyId);
			assertApplied(first, applyId, ops, APPLY_HELD_AFTER);
		}
		assertThat(applyHeld.awaitOver()).as("the apply was handed back at the shutdown").isTrue();

		// caught again at its first batch after the restart
		BatchHold.Hold applyResumed = BatchHold.afterBatches("resume-pg", "import", RunMode.APPLY, APPLY_HELD_AFTER);
		try (ConfigurableApplicationContext second = start()) {
			RunService runs = second.getBean(RunService.class);
			assertThat(applyResumed.awaitHeld()).as("the apply resumes after its last committed batch")
				.isEqualTo(applyId);
			assertApplied(second, applyId, ops, APPLY_HELD_AFTER);
			applyResumed.release();
			RunView apply = finished(runs, SystemActor.call(() -> runs.get(applyId)));
			assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(SystemActor.call(() -> runs.log(applyId))).extracting(RunLogLine::message)
				.filteredOn(line -> line.startsWith("Resumed after") || line.contains("not written again"))
				.containsExactly("Resumed after " + APPLY_HELD_AFTER + " committed batch(es).");
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

			BatchHold.Hold rollbackHeld = BatchHold.afterBatches("resume-pg", "import", RunMode.ROLLBACK,
					ROLLBACK_HELD_AFTER);
			long rollbackId = SystemActor.call(() -> runs.rollback(applyId)).id();
			assertThat(rollbackHeld.awaitHeld()).isEqualTo(rollbackId);
			assertUndone(second, applyId, rollbackId, ops, ROLLBACK_HELD_AFTER);
			BatchHold.Hold rollbackResumed = BatchHold.afterBatches("resume-pg", "import", RunMode.ROLLBACK,
					ROLLBACK_HELD_AFTER);
			second.close();
			assertThat(rollbackHeld.awaitOver()).as("the rollback was handed back at the shutdown").isTrue();
			try (ConfigurableApplicationContext third = start()) {
				RunService again = third.getBean(RunService.class);
				assertThat(rollbackResumed.awaitHeld()).as("the rollback resumes after its last committed batch")
					.isEqualTo(rollbackId);
				assertUndone(third, applyId, rollbackId, ops, ROLLBACK_HELD_AFTER);
				rollbackResumed.release();
				RunView rollback = finished(again, SystemActor.call(() -> again.get(rollbackId)));
				assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
				assertThat(SystemActor.call(() -> again.log(rollbackId))).extracting(RunLogLine::message)
					.anySatisfy(line -> assertThat(line).contains("the same as right before apply #" + applyId))
					.filteredOn(line -> line.startsWith("Resumed after"))
					.containsExactly("Resumed after " + ROLLBACK_HELD_AFTER + " committed batch(es).");
				try (Connection c = target(); Statement s = c.createStatement()) {
					long batches = (ops.size() + BATCH - 1) / BATCH;
					assertThat(count(s,
							"SELECT count(*) FROM ferry_apply_batches WHERE run_id = " + applyId
									+ " AND rolled_back_by = " + rollbackId))
						.as("each batch undone once")
						.isEqualTo(batches);
					assertThat(storeLedger(third, rollbackId)).as("one batch per apply batch, then the checksum")
						.containsExactlyElementsOf(IntStream.rangeClosed(1, (int) batches + 1).boxed().toList());
				}
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

	/**
	 * An apply held after {@code batches} batches: exactly the change rows of those
	 * batches are written, once, and each batch is in both ledgers once.
	 */
	private void assertApplied(ConfigurableApplicationContext app, long applyId, List<ChangeOp> ops, int batches)
			throws Exception {
		List<ChangeOp> written = ops.subList(0, batches * BATCH);
		long updated = written.stream().filter(ChangeOp.UPDATE::equals).count();
		long inserted = written.stream().filter(ChangeOp.INSERT::equals).count();
		assertThat(updated).as("every update is in the first batches").isEqualTo((IN_TARGET + 6) / 7);
		assertThat(storeLedger(app, applyId))
			.containsExactlyElementsOf(IntStream.rangeClosed(1, batches).boxed().toList());
		try (Connection c = target(); Statement s = c.createStatement()) {
			assertThat(count(s, "SELECT count(*) FROM ferry_apply_batches WHERE run_id = " + applyId))
				.isEqualTo(batches);
			assertThat(count(s, "SELECT sum(rows_updated) FROM ferry_apply_batches WHERE run_id = " + applyId))
				.isEqualTo(updated);
			assertThat(count(s, "SELECT sum(rows_inserted) FROM ferry_apply_batches WHERE run_id = " + applyId))
				.isEqualTo(inserted);
			assertThat(count(s, "SELECT count(*) FROM stock")).as("inserted once")
				.isEqualTo(IN_TARGET + ONLY_IN_TARGET + inserted);
			assertThat(count(s, "SELECT count(*) FROM stock WHERE label LIKE 'old %'")).as("every update written")
				.isZero();
			assertThat(count(s, "SELECT max(id) FROM stock WHERE id < 100000")).as("the inserts in key order")
				.isEqualTo(IN_TARGET + inserted - 1);
		}
	}

	/**
	 * A rollback held after {@code batches} batches: the apply's newest batches are
	 * undone, each once.
	 */
	private void assertUndone(ConfigurableApplicationContext app, long applyId, long rollbackId, List<ChangeOp> ops,
			int batches) throws Exception {
		int all = (ops.size() + BATCH - 1) / BATCH;
		List<ChangeOp> undone = ops.subList((all - batches) * BATCH, ops.size());
		long inserted = undone.stream().filter(ChangeOp.INSERT::equals).count();
		long deleted = undone.stream().filter(ChangeOp.DELETE::equals).count();
		assertThat(deleted).as("the newest batches hold every delete").isEqualTo(ONLY_IN_TARGET);
		assertThat(storeLedger(app, rollbackId))
			.containsExactlyElementsOf(IntStream.rangeClosed(1, batches).boxed().toList());
		try (Connection c = target(); Statement s = c.createStatement()) {
			assertThat(count(s, "SELECT count(*) FROM ferry_apply_batches WHERE run_id = " + applyId
					+ " AND rolled_back_by = " + rollbackId))
				.isEqualTo(batches);
			assertThat(count(s, "SELECT count(*) FROM stock")).as("deletes put back, inserts removed, once")
				.isEqualTo(ROWS - inserted + deleted);
		}
	}

	/** The numbers of the run's batches in Ferry's ledger. */
	private static List<Integer> storeLedger(ConfigurableApplicationContext app, long runId) {
		return app.getBean(JdbcClient.class)
			.sql("SELECT batch_no FROM run_batches WHERE run_id = ? ORDER BY batch_no")
			.param(runId)
			.query(Integer.class)
			.list();
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
		return new SpringApplicationBuilder(FerryApplication.class, BatchHold.class).profiles("test")
			.run("--spring.datasource.url=" + store, "--server.port=0",
					"--ferry.data-dir=" + dir.resolve("data").toAbsolutePath(), "--db-scheduler.polling-interval=200ms",
					"--db-scheduler.heartbeat-interval=1s");
	}

}
