package dev.ferry.sql;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.ferry.run.RunCounts;
import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.FerryApplication;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.ConsoleClient;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.StopAfterTargetCommit;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
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
 * Acceptance (b) of issue 19: a {@code sql} apply is stopped between the target's commit
 * and the store's, and on restart it is not run again; the same for its rollback. Ferry
 * is stopped by {@link StopAfterTargetCommit} right after the batch committed on the
 * target (its application context is closed, so the store's transaction of that batch
 * rolls back) and started again on the same store. The scripts insert into a table
 * without a unique key and create (then drop) a table, so a second run would leave a
 * second row or fail. On PostgreSQL and SQLite the ledger row commits with the
 * statements; on H2 it follows them, which still recognises a stop after the last commit,
 * and the run page says that exactly-once is not guaranteed there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("postgres")
@Tag("integration")
class SqlApplyExactlyOnceIntegrationTests {

	static final String PLAN = """
			plan: %1$s
			source: %1$s
			target: %1$s
			phases:
			  - id: shelves
			    kind: sql
			    apply: |
			      CREATE TABLE shelves (id INTEGER, label VARCHAR(40));
			      INSERT INTO shelves VALUES (1, 'first');
			      INSERT INTO marks VALUES ('applied');
			    rollback: |
			      DROP TABLE shelves;
			      INSERT INTO marks VALUES ('rolled back');
			gates: []
			""";

	static final String H2_NOTICE = "id=\"sql-once-notice\"";

	EmbeddedPostgres postgres;

	@BeforeAll
	void startPostgres() throws Exception {
		this.postgres = EmbeddedPostgres.builder().start();
	}

	@AfterAll
	void stopPostgres() throws Exception {
		this.postgres.close();
	}

	@Test
	void onPostgresAnApplyAndItsRollbackStoppedAfterTheTargetCommitAreNotRunAgain(@TempDir Path dir) throws Exception {
		try (Connection c = this.postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE once");
		}
		String url = this.postgres.getJdbcUrl("postgres", "once");
		applyAndRollbackStoppedAfterTheTargetCommit(dir, "once-pg", url, "postgres");
	}

	@Test
	void onSqliteAnApplyAndItsRollbackStoppedAfterTheTargetCommitAreNotRunAgain(@TempDir Path dir) throws Exception {
		String url = "jdbc:sqlite:" + dir.resolve("target.db").toAbsolutePath();
		applyAndRollbackStoppedAfterTheTargetCommit(dir, "once-sqlite", url, null);
	}

	@Test
	void onH2AnApplyStoppedAfterItsLastCommitIsRecognisedAndThePageSaysExactlyOnceIsNotGuaranteed(@TempDir Path dir)
			throws Exception {
		String url = "jdbc:h2:file:" + dir.resolve("target").toAbsolutePath();
		createMarks(url);
		try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
			H2Login.grant(s);
		}
		long applyId;
		try (ConfigurableApplicationContext first = start(dir)) {
			setUp(first, "once-h2", url, H2Login.USER, H2Login.PASSWORD);
			applyId = applyStoppedAfterTheTargetCommit(first, url, "once-h2");
		}
		try (ConfigurableApplicationContext second = start(dir)) {
			RunService runs = second.getBean(RunService.class);
			RunView apply = finished(runs, applyId);
			assertResumedWithoutRunningAgain(runs, apply, "Apply #" + applyId, 3);
			assertThat(strings(url, "SELECT what FROM marks")).as("the script ran once").containsExactly("applied");
			assertThat(count(url, "SELECT count(*) FROM shelves")).isOne();
			assertThat(page(second, applyId)).contains(H2_NOTICE).contains("Exactly once is not guaranteed on H2");
		}
	}

	private void applyAndRollbackStoppedAfterTheTargetCommit(Path dir, String name, String url, String user)
			throws Exception {
		createMarks(url);
		long applyId;
		try (ConfigurableApplicationContext first = start(dir)) {
			setUp(first, name, url, user, null);
			applyId = applyStoppedAfterTheTargetCommit(first, url, name);
		}
		long rollbackId;
		try (ConfigurableApplicationContext second = start(dir)) {
			RunService runs = second.getBean(RunService.class);
			RunView apply = finished(runs, applyId);
			assertResumedWithoutRunningAgain(runs, apply, "Apply #" + applyId, 3);
			assertThat(strings(url, "SELECT what FROM marks")).as("the apply's script ran once")
				.containsExactly("applied");
			assertThat(count(url, "SELECT count(*) FROM shelves")).isOne();
			assertThat(page(second, applyId)).doesNotContain(H2_NOTICE);

			CountDownLatch stop = StopAfterTargetCommit.arm(PhaseSpec.Kind.SQL, RunMode.ROLLBACK);
			rollbackId = SystemActor.call(() -> runs.rollback(applyId)).id();
			StopAfterTargetCommit.committedOnTarget(stop);
			assertThat(strings(url, "SELECT what FROM marks")).containsExactly("applied", "rolled back");
			assertThat(tableExists(url, "shelves")).as("the rollback committed on the target").isFalse();
			assertThat(batches(second, rollbackId)).as("and not in the store").isZero();
		}
		try (ConfigurableApplicationContext third = start(dir)) {
			RunService runs = third.getBean(RunService.class);
			RunView rollback = finished(runs, rollbackId);
			assertResumedWithoutRunningAgain(runs, rollback, "Rollback #" + rollbackId, 2);
			assertThat(SystemActor.call(() -> runs.get(applyId)).state()).isEqualTo(RunState.ROLLED_BACK);
			assertThat(strings(url, "SELECT what FROM marks")).as("the rollback's script ran once (DROP TABLE too)")
				.containsExactly("applied", "rolled back");
			assertThat(strings(url,
					"SELECT run_mode || ' ' || run_id || ' ' || coalesce(rolls_back, 0) FROM "
							+ "ferry_sql_runs ORDER BY run_id"))
				.containsExactly("apply " + applyId + " 0", "rollback " + rollbackId + " " + applyId);
		}
	}

	/**
	 * Requests the apply with the stop armed, waits until its statements committed on the
	 * target, and checks that Ferry's store has not recorded its batch.
	 */
	private static long applyStoppedAfterTheTargetCommit(ConfigurableApplicationContext app, String url, String plan)
			throws Exception {
		RunService runs = app.getBean(RunService.class);
		Actors.approved(runs, app.getBean(ApprovalService.class), plan, "shelves");
		CountDownLatch stop = StopAfterTargetCommit.arm(PhaseSpec.Kind.SQL, RunMode.APPLY);
		long applyId = SystemActor.call(() -> runs.request(plan, "shelves", RunMode.APPLY)).id();
		StopAfterTargetCommit.committedOnTarget(stop);
		assertThat(strings(url, "SELECT what FROM marks")).as("the apply committed on the target")
			.containsExactly("applied");
		assertThat(count(url, "SELECT count(*) FROM ferry_sql_runs WHERE run_id = " + applyId)).isOne();
		assertThat(batches(app, applyId)).as("and not in the store").isZero();
		assertThat(SystemActor.call(() -> runs.get(applyId)).state()).isEqualTo(RunState.RUNNING);
		return applyId;
	}

	/**
	 * The run resumed, found its row in the target's ledger, ran nothing, and ended as an
	 * uninterrupted run ends: every statement of its script done, no rows counted.
	 */
	private static void assertResumedWithoutRunningAgain(RunService runs, RunView run, String what, long statements) {
		assertThat(run.state()).as(run.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(run.total()).isEqualTo(statements);
		assertThat(run.done()).isEqualTo(statements);
		assertThat(run.percent()).isEqualTo(100);
		assertThat(run.counts()).isEqualTo(RunCounts.NONE);
		List<String> log = SystemActor.call(() -> runs.log(run.id())).stream().map(RunLogLine::message).toList();
		assertThat(log).contains("Resumed after 0 committed batch(es).")
			.anySatisfy(line -> assertThat(line).matches(java.util.regex.Pattern.quote(what)
					+ "'s statements were already committed on once-\\w+ "
					+ "\\(ledger row of \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ in ferry_sql_runs\\); not run again\\."))
			.noneSatisfy(line -> assertThat(line).startsWith("Statement "))
			.last()
			.isEqualTo("Succeeded after 1 batch(es).");
	}

	private static void setUp(ConfigurableApplicationContext app, String name, String url, String user,
			String password) {
		SystemActor.run(() -> {
			app.getBean(ConnectionService.class).create(new ConnectionCommand(name, url, user, password, false));
			app.getBean(PlanService.class)
				.save(null, PLAN.formatted(name).getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
	}

	private static void createMarks(String url) throws SQLException {
		try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE marks (what VARCHAR(40))");
		}
	}

	private static String page(ConfigurableApplicationContext app, long runId) {
		int port = app.getEnvironment().getProperty("local.server.port", Integer.class);
		HttpResponse<String> response = new ConsoleClient(port).signIn("viewer", FerryAppTest.DEMO_PASSWORD)
			.get("/runs/" + runId);
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private static RunView finished(RunService runs, long runId) {
		Await.until(() -> !SystemActor.call(() -> runs.get(runId)).state().active(), "run #" + runId);
		return SystemActor.call(() -> runs.get(runId));
	}

	private static long batches(ConfigurableApplicationContext app, long runId) {
		return app.getBean(JdbcClient.class)
			.sql("SELECT count(*) FROM run_batches WHERE run_id = ?")
			.param(runId)
			.query(Long.class)
			.single();
	}

	private static List<String> strings(String url, String sql) throws SQLException {
		List<String> values = new ArrayList<>();
		try (Connection c = DriverManager.getConnection(url);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(sql)) {
			while (rs.next()) {
				values.add(rs.getString(1));
			}
		}
		return values;
	}

	private static long count(String url, String sql) throws SQLException {
		try (Connection c = DriverManager.getConnection(url);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static boolean tableExists(String url, String table) throws SQLException {
		try (Connection c = DriverManager.getConnection(url);
				ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] { "TABLE" })) {
			while (rs.next()) {
				if (rs.getString("TABLE_NAME").equalsIgnoreCase(table)) {
					return true;
				}
			}
		}
		return false;
	}

	private static ConfigurableApplicationContext start(Path dir) {
		String store = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
		// command-line arguments, so they win over the test profile's own settings
		return new SpringApplicationBuilder(FerryApplication.class, StopAfterTargetCommit.class).profiles("test")
			.run("--spring.datasource.url=" + store, "--server.port=0",
					"--ferry.data-dir=" + dir.resolve("data").toAbsolutePath(), "--db-scheduler.polling-interval=200ms",
					"--db-scheduler.heartbeat-interval=1s");
	}

}
