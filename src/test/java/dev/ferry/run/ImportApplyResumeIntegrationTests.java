package dev.ferry.run;

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

import dev.ferry.gate.ApprovalService;
import dev.ferry.support.Actors;
import dev.ferry.FerryApplication;
import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.connection.ConnectionService;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ferry stopped in the middle of the demo import's apply, and later in the middle of its
 * rollback, and started again each time: the apply finishes with every row of the change
 * set written once (the target's batch ledger has each batch once, the table holds
 * exactly the change set's rows), and the rollback finishes with the table's pre-apply
 * checksum.
 */
class ImportApplyResumeIntegrationTests {

	static final int DEMO_INSERTS = 49_982;

	@TempDir
	Path dir;

	@Test
	void applyAndRollbackEachResumeAfterARestartAndDoTheirWorkOnce() throws Exception {
		long applyId;
		long dryRunId;
		String before;
		try (ConfigurableApplicationContext first = start(this.dir)) {
			RunService runs = first.getBean(RunService.class);
			ApprovalService approvals = first.getBean(ApprovalService.class);
			finished(runs, Actors.requestApply(runs, approvals, "ahs-v2", "schema"));
			RunView dryRun = finished(runs, SystemActor.call(() -> runs.request("ahs-v2", "import", RunMode.DRY_RUN)));
			assertThat(dryRun.counts().inserted()).isEqualTo(DEMO_INSERTS);
			dryRunId = dryRun.id();
			before = checksum(first);
			applyId = Actors.requestApply(runs, approvals, "ahs-v2", "import").id();
			waitForBatches(first, applyId, 3);
		}
		try (ConfigurableApplicationContext second = start(this.dir)) {
			RunService runs = second.getBean(RunService.class);
			RunView apply = finished(runs, SystemActor.call(() -> runs.get(applyId)));
			assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(apply.counts().inserted()).as("counted once, not once per start").isEqualTo(DEMO_INSERTS);
			assertThat(SystemActor.call(() -> runs.log(applyId))).extracting(RunLogLine::message)
				.anySatisfy(line -> assertThat(line).startsWith("Resumed after"));
			assertThat(written(second)).as("the table holds exactly the change set's inserts")
				.isEqualTo(inserts(second, dryRunId));
			try (Connection c = target(second); Statement s = c.createStatement()) {
				assertThat(count(s, "SELECT count(*) FROM AhsListingV2")).isEqualTo(DEMO_INSERTS);
				assertThat(count(s, "SELECT count(DISTINCT id) FROM AhsListingV2")).isEqualTo(DEMO_INSERTS);
				// the demo plan's batch-size is 5,000 change rows: 10 batches, each in
				// the ledger once
				assertThat(count(s, "SELECT count(*) FROM ferry_apply_batches WHERE run_id = " + applyId))
					.isEqualTo(10);
				assertThat(count(s, "SELECT sum(rows_inserted) FROM ferry_apply_batches WHERE run_id = " + applyId))
					.isEqualTo(DEMO_INSERTS);
			}
			long rollbackId = SystemActor.call(() -> runs.rollback(applyId)).id();
			waitForBatches(second, rollbackId, 3);
			assertThatThrownBy(() -> SystemActor.call(() -> runs.cancel(rollbackId)))
				.as("a started rollback runs to its end")
				.isInstanceOf(RefusedException.class)
				.hasMessageContaining("runs to its end");
			try (Connection c = target(second); Statement s = c.createStatement()) {
				assertThat(count(s, "SELECT count(*) FROM AhsListingV2")).as("the rollback is under way")
					.isLessThan(DEMO_INSERTS);
			}
			try (ConfigurableApplicationContext third = restart(second)) {
				RunService again = third.getBean(RunService.class);
				RunView rollback = finished(again, SystemActor.call(() -> again.get(rollbackId)));
				assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
				assertThat(SystemActor.call(() -> again.log(rollbackId))).extracting(RunLogLine::message)
					.anySatisfy(line -> assertThat(line).startsWith("Resumed after"));
				assertThat(checksum(third)).as("every table of the target as before the apply").isEqualTo(before);
				assertThat(SystemActor.call(() -> again.get(applyId)).state()).isEqualTo(RunState.ROLLED_BACK);
			}
		}
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

	private static void waitForBatches(ConfigurableApplicationContext app, long runId, int batches) {
		JdbcClient store = app.getBean(JdbcClient.class);
		Await.until(() -> store.sql("SELECT count(*) FROM run_batches WHERE run_id = ?")
			.param(runId)
			.query(Long.class)
			.single() >= batches, batches + " batches of run #" + runId + " before the shutdown");
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
		return new SpringApplicationBuilder(FerryApplication.class).profiles("test")
			.run("--spring.datasource.url=" + store, "--server.port=0", "--ferry.data-dir=" + dir.toAbsolutePath(),
					"--db-scheduler.polling-interval=200ms", "--db-scheduler.heartbeat-interval=1s");
	}

}
