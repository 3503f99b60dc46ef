package dev.ferry.importing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.gate.ApprovalService;
import dev.ferry.support.Actors;
import dev.ferry.FerryApplication;
import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.StoredChange;
import dev.ferry.connection.ConnectionService;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.BatchHold;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ferry stopped in the middle of the demo import's apply, and later in the middle of its
 * rollback, each held after its third batch ({@link BatchHold}) so the context closes at
 * a known batch boundary, and started again each time: the apply finishes with every row
 * of the change set written once (the target's batch ledger has each batch once, the
 * table holds exactly the change set's rows), and the rollback finishes with the table's
 * pre-apply checksum.
 */
@Tag("integration")
class ImportApplyResumeIntegrationTests {

	static final int DEMO_INSERTS = 49_982;

	/**
	 * The demo plan's batch-size in change rows: 50,000 of them (49,982 inserts and 18
	 * rejected rows, which are not written) make 10 batches.
	 */
	static final int BATCH_SIZE = 5_000;

	static final int BATCHES = 10;

	/** Batches committed when a context is closed. */
	static final int HELD_AFTER = 3;

	@TempDir
	Path dir;

	@AfterEach
	void disarm() {
		BatchHold.disarm();
	}

	@Test
	void applyAndRollbackEachResumeAfterARestartAndDoTheirWorkOnce() throws Exception {
		long applyId;
		long dryRunId;
		String before;
		List<ChangeOp> ops;
		BatchHold.Hold applyHeld = BatchHold.afterBatches("ahs-v2", "import", RunMode.APPLY, HELD_AFTER);
		try (ConfigurableApplicationContext first = start(this.dir)) {
			RunService runs = first.getBean(RunService.class);
			ApprovalService approvals = first.getBean(ApprovalService.class);
			finished(runs, Actors.requestApply(runs, approvals, "ahs-v2", "schema"));
			RunView dryRun = finished(runs, SystemActor.call(() -> runs.request("ahs-v2", "import", RunMode.DRY_RUN)));
			assertThat(dryRun.counts().inserted()).isEqualTo(DEMO_INSERTS);
			dryRunId = dryRun.id();
			ops = SystemActor.call(() -> first.getBean(ChangeSetService.class).stored(dryRun.id(), 0, 60_000))
				.stream()
				.map(StoredChange::op)
				.toList();
			assertThat(ops).hasSize(BATCHES * BATCH_SIZE);
			before = checksum(first);
			applyId = Actors.requestApply(runs, approvals, "ahs-v2", "import").id();
			assertThat(applyHeld.awaitHeld()).isEqualTo(applyId);
			assertAppliedBatches(first, applyId, ops, HELD_AFTER);
		}
		assertThat(applyHeld.awaitOver()).as("the apply was handed back at the shutdown").isTrue();

		// caught again at its first batch after the restart
		BatchHold.Hold applyResumed = BatchHold.afterBatches("ahs-v2", "import", RunMode.APPLY, HELD_AFTER);
		try (ConfigurableApplicationContext second = start(this.dir)) {
			RunService runs = second.getBean(RunService.class);
			assertThat(applyResumed.awaitHeld()).as("the apply resumes after its last committed batch")
				.isEqualTo(applyId);
			assertAppliedBatches(second, applyId, ops, HELD_AFTER);
			applyResumed.release();
			RunView apply = finished(runs, SystemActor.call(() -> runs.get(applyId)));
			assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(apply.counts().inserted()).as("counted once, not once per start").isEqualTo(DEMO_INSERTS);
			assertThat(SystemActor.call(() -> runs.log(applyId))).extracting(RunLogLine::message)
				.filteredOn(line -> line.startsWith("Resumed after") || line.contains("not written again"))
				.containsExactly("Resumed after " + HELD_AFTER + " committed batch(es).");
			assertThat(storeLedger(second, applyId)).as("each batch once in Ferry's ledger")
				.containsExactlyElementsOf(IntStream.rangeClosed(1, BATCHES).boxed().toList());
			assertThat(written(second)).as("the table holds exactly the change set's inserts")
				.isEqualTo(inserts(second, dryRunId));
			try (Connection c = target(second); Statement s = c.createStatement()) {
				assertThat(count(s, "SELECT count(*) FROM AhsListingV2")).isEqualTo(DEMO_INSERTS);
				assertThat(count(s, "SELECT count(DISTINCT id) FROM AhsListingV2")).isEqualTo(DEMO_INSERTS);
				// the demo plan's batch-size is 5,000 change rows: 10 batches, each in
				// the ledger once
				assertThat(count(s, "SELECT count(*) FROM ferry_apply_batches WHERE run_id = " + applyId))
					.isEqualTo(BATCHES);
				assertThat(count(s, "SELECT sum(rows_inserted) FROM ferry_apply_batches WHERE run_id = " + applyId))
					.isEqualTo(DEMO_INSERTS);
			}

			BatchHold.Hold rollbackHeld = BatchHold.afterBatches("ahs-v2", "import", RunMode.ROLLBACK, HELD_AFTER);
			long rollbackId = SystemActor.call(() -> runs.rollback(applyId)).id();
			assertThat(rollbackHeld.awaitHeld()).isEqualTo(rollbackId);
			assertThatThrownBy(() -> SystemActor.call(() -> runs.cancel(rollbackId)))
				.as("a started rollback runs to its end")
				.isInstanceOf(RefusedException.class)
				.hasMessageContaining("runs to its end");
			assertUndoneBatches(second, applyId, rollbackId, ops, HELD_AFTER);

			BatchHold.Hold rollbackResumed = BatchHold.afterBatches("ahs-v2", "import", RunMode.ROLLBACK, HELD_AFTER);
			try (ConfigurableApplicationContext third = restart(second)) {
				assertThat(rollbackHeld.awaitOver()).as("the rollback was handed back at the shutdown").isTrue();
				RunService again = third.getBean(RunService.class);
				assertThat(rollbackResumed.awaitHeld()).as("the rollback resumes after its last committed batch")
					.isEqualTo(rollbackId);
				assertUndoneBatches(third, applyId, rollbackId, ops, HELD_AFTER);
				rollbackResumed.release();
				RunView rollback = finished(again, SystemActor.call(() -> again.get(rollbackId)));
				assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
				assertThat(SystemActor.call(() -> again.log(rollbackId))).extracting(RunLogLine::message)
					.filteredOn(line -> line.startsWith("Resumed after"))
					.containsExactly("Resumed after " + HELD_AFTER + " committed batch(es).");
				// one batch per apply batch, then the one that compares the checksum
				assertThat(storeLedger(third, rollbackId))
					.containsExactlyElementsOf(IntStream.rangeClosed(1, BATCHES + 1).boxed().toList());
				assertThat(checksum(third)).as("every table of the target as before the apply").isEqualTo(before);
				assertThat(SystemActor.call(() -> again.get(applyId)).state()).isEqualTo(RunState.ROLLED_BACK);
				try (Connection c = target(third); Statement s = c.createStatement()) {
					assertThat(count(s,
							"SELECT count(*) FROM ferry_apply_batches WHERE run_id = " + applyId
									+ " AND rolled_back_by = " + rollbackId))
						.as("each batch undone once")
						.isEqualTo(BATCHES);
				}
			}
		}
	}

	/**
	 * An apply held after {@code batches} batches: exactly those batches are in Ferry's
	 * ledger and in the target's, and the table holds the inserts of their change rows,
	 * once (the demo's change set has only inserts and rejected rows).
	 */
	private static void assertAppliedBatches(ConfigurableApplicationContext app, long applyId, List<ChangeOp> ops,
			int batches) throws Exception {
		long inserted = ops.subList(0, batches * BATCH_SIZE).stream().filter(ChangeOp.INSERT::equals).count();
		assertThat(storeLedger(app, applyId))
			.containsExactlyElementsOf(IntStream.rangeClosed(1, batches).boxed().toList());
		try (Connection c = target(app); Statement s = c.createStatement()) {
			assertThat(count(s, "SELECT count(*) FROM ferry_apply_batches WHERE run_id = " + applyId))
				.isEqualTo(batches);
			assertThat(count(s, "SELECT sum(rows_inserted) FROM ferry_apply_batches WHERE run_id = " + applyId))
				.isEqualTo(inserted);
			assertThat(count(s, "SELECT count(*) FROM AhsListingV2")).as("written once").isEqualTo(inserted);
			assertThat(count(s, "SELECT count(DISTINCT id) FROM AhsListingV2")).isEqualTo(inserted);
		}
	}

	/**
	 * A rollback held after {@code batches} batches: the newest apply batches are undone,
	 * each once.
	 */
	private static void assertUndoneBatches(ConfigurableApplicationContext app, long applyId, long rollbackId,
			List<ChangeOp> ops, int batches) throws Exception {
		long undone = ops.subList((BATCHES - batches) * BATCH_SIZE, ops.size())
			.stream()
			.filter(ChangeOp.INSERT::equals)
			.count();
		assertThat(storeLedger(app, rollbackId))
			.containsExactlyElementsOf(IntStream.rangeClosed(1, batches).boxed().toList());
		try (Connection c = target(app); Statement s = c.createStatement()) {
			assertThat(count(s, "SELECT count(*) FROM ferry_apply_batches WHERE run_id = " + applyId
					+ " AND rolled_back_by = " + rollbackId))
				.isEqualTo(batches);
			assertThat(count(s, "SELECT count(*) FROM AhsListingV2")).as("the newest batches undone")
				.isEqualTo(DEMO_INSERTS - undone);
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

	/** The rows of AhsListingV2 by id, as the change set writes its values. */
	private static Map<Long, List<String>> written(ConfigurableApplicationContext app) throws Exception {
		Map<Long, List<String>> rows = new HashMap<>();
		try (Connection c = target(app);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT id, name, hybridizer, year, fragrant FROM AhsListingV2")) {
			while (rs.next()) {
				Object year = rs.getObject(4);
				Object fragrant = rs.getObject(5);
				rows.put(rs.getLong(1), Arrays.asList(rs.getString(2), rs.getString(3),
						year == null ? null : year.toString(), fragrant == null ? null : fragrant.toString()));
			}
		}
		return rows;
	}

	/** The after-images of the dry run's inserts by id, walked page by page. */
	private static Map<Long, List<String>> inserts(ConfigurableApplicationContext app, long dryRunId) {
		ChangeSetService changeSets = app.getBean(ChangeSetService.class);
		Map<Long, List<String>> rows = new HashMap<>();
		String after = null;
		do {
			String cursor = after;
			ChangePage page = SystemActor
				.call(() -> changeSets.changes(dryRunId, new ChangeFilter(ChangeOp.INSERT, null, null), cursor, 500));
			for (Change change : page.items()) {
				Map<String, Object> values = change.after();
				rows.put((Long) values.get("id"), Arrays.asList(text(values.get("name")),
						text(values.get("hybridizer")), text(values.get("year")), text(values.get("fragrant"))));
			}
			after = page.next();
		}
		while (after != null);
		return rows;
	}

	private static String text(Object value) {
		return value == null ? null : value.toString();
	}

	/** Closes a context and starts the next one on the same files. */
	private ConfigurableApplicationContext restart(ConfigurableApplicationContext running) {
		running.close();
		return start(this.dir);
	}

	private static Connection target(ConfigurableApplicationContext app) throws Exception {
		return SystemActor.call(() -> app.getBean(ConnectionService.class).dataSource("app")).getConnection();
	}

	private static long count(Statement s, String sql) throws Exception {
		try (ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/** A sha256 over every row of the demo target's tables, each table's rows sorted. */
	private static String checksum(ConfigurableApplicationContext app) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		try (Connection c = target(app)) {
			for (String table : List.of("AHSLISTING", "LISTING", "AHSLISTINGV2", "AHSLISTINGV2MAP")) {
				List<String> rows = new ArrayList<>();
				try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
					int columns = rs.getMetaData().getColumnCount();
					while (rs.next()) {
						StringBuilder row = new StringBuilder(table).append(':');
						for (int k = 1; k <= columns; k++) {
							row.append(rs.getString(k)).append('\u001f');
						}
						rows.add(row.toString());
					}
				}
				rows.sort(null);
				rows.forEach(row -> digest.update(row.getBytes(StandardCharsets.UTF_8)));
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static RunView finished(RunService runs, RunView run) {
		Await.until(() -> !SystemActor.call(() -> runs.get(run.id())).state().active(), "run #" + run.id());
		return SystemActor.call(() -> runs.get(run.id()));
	}

	private static ConfigurableApplicationContext start(Path dir) {
		String store = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
		return new SpringApplicationBuilder(FerryApplication.class, BatchHold.class).profiles("test")
			.run("--spring.datasource.url=" + store, "--server.port=0", "--ferry.data-dir=" + dir.toAbsolutePath(),
					"--db-scheduler.polling-interval=200ms", "--db-scheduler.heartbeat-interval=1s");
	}

}
