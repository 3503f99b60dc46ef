package dev.ferry.lifecycle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ferry.FerryApplication;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateService;
import dev.ferry.gate.Verification;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promise 9, verify after apply: Ferry stops right after an apply's transaction committed
 * and before its verify ran (the first application context hands the verify to a worker
 * that never runs it, and is closed, as a process killed at that moment would be). On the
 * restart on the same store the verify runs exactly once, against the version that was
 * applied, and its {@code on-fail: rollback} chain rolls the plan's applies back newest
 * first on the PostgreSQL target.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("postgres")
@Tag("integration")
class VerifyAfterCrashIntegrationTests {

	@TempDir
	static Path dir;

	EmbeddedPostgres postgres;

	@BeforeAll
	void target() throws Exception {
		this.postgres = EmbeddedPostgres.builder().start();
		try (Connection c = DriverManager.getConnection(this.postgres.getJdbcUrl("postgres", "postgres"));
				Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items_src (id INTEGER PRIMARY KEY, name VARCHAR(40))");
			s.execute("INSERT INTO items_src SELECT x, 'item ' || x FROM generate_series(1, 10) x");
		}
	}

	@AfterAll
	void stop() throws Exception {
		this.postgres.close();
	}

	@Test
	void aVerifyLostToAStopRightAfterTheApplyRunsOnceAfterTheRestartAndRollsBack() throws Exception {
		RunView apply;
		RunView schema;
		try (ConfigurableApplicationContext first = start(WorkersThatNeverRun.class)) {
			SystemActor.run(() -> first.getBean(ConnectionService.class)
				.create(new ConnectionCommand("crash-pg", this.postgres.getJdbcUrl("postgres", "postgres"), "postgres",
						null, false)));
			SystemActor.run(() -> first.getBean(PlanService.class)
				.save(null, PLAN.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
			RunService runs = first.getBean(RunService.class);
			ApprovalService approvals = first.getBean(ApprovalService.class);
			schema = Await.finished(runs, Actors.requestApply(runs, approvals, "crash", "schema"));
			assertThat(schema.state()).as(schema.error()).isEqualTo(RunState.SUCCEEDED);
			apply = Await.finished(runs, Actors.requestApply(runs, approvals, "crash", "load"));
			assertThat(apply.state()).as(apply.error()).isEqualTo(RunState.SUCCEEDED);
			assertThat(rows("SELECT count(*) FROM items")).isEqualTo(10);

			// the apply committed; its verify was handed to a worker that never ran it
			JdbcClient store = first.getBean(JdbcClient.class);
			assertThat(WorkersThatNeverRun.held).as("the verify, held").isNotEmpty();
			assertThat(verifications(store, apply.id())).isZero();
			assertThat(store
				.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL AND serialized_event LIKE ? "
						+ "AND listener_id LIKE '%GateTriggers.verifyAfterRun%'")
				.param("%\"runId\":" + apply.id() + ",%")
				.query(Long.class)
				.single()).as("the apply's end, published, its verify not completed").isEqualTo(1);
			PhaseLifecycle lifecycle = first.getBean(PhaseLifecycle.class);
			assertThat(SystemActor.call(() -> lifecycle.status("crash", "load")).state())
				.isEqualTo(PhaseState.VERIFYING);
		}

		try (ConfigurableApplicationContext second = start()) {
			GateService gates = second.getBean(GateService.class);
			Await.until(() -> SystemActor.call(() -> gates.verification("crash", "check"))
				.filter(v -> "done".equals(v.rollbackOutcome()))
				.isPresent(), "the verify and its rollback chain after the restart");
			Verification verdict = SystemActor.call(() -> gates.verification("crash", "check")).orElseThrow();
			assertThat(verdict.afterApply()).isEqualTo(apply.id());
			assertThat(verdict.passed()).isFalse();
			assertThat(verdict.rolledBack()).as("load, then schema").isEqualTo(2);
			JdbcClient store = second.getBean(JdbcClient.class);
			assertThat(verifications(store, apply.id())).as("verified exactly once").isEqualTo(1);
			assertThat(store.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL")
				.query(Long.class)
				.single()).as("every publication completed").isZero();
			assertThat(tableExists("items")).as("the schema's apply rolled back too").isFalse();
			PhaseLifecycle lifecycle = second.getBean(PhaseLifecycle.class);
			assertThat(SystemActor.call(() -> lifecycle.ofPlan("crash")).stream().map(PhaseStatus::code).toList())
				.containsExactly("rolled-back", "rolled-back", "not-run");
			RunService runs = second.getBean(RunService.class);
			List<RunView> all = SystemActor.call(() -> runs.ofPlan("crash", null, 50));
			assertThat(all.stream().filter(run -> run.mode() == RunMode.ROLLBACK).map(RunView::phase).toList())
				.as("newest first, once each")
				.containsExactly("schema", "load");
		}
	}

	private static long verifications(JdbcClient store, long apply) {
		return store.sql("SELECT count(*) FROM verifications WHERE after_apply = ?")
			.param(apply)
			.query(Long.class)
			.single();
	}

	private long rows(String sql) throws Exception {
		try (Connection c = DriverManager.getConnection(this.postgres.getJdbcUrl("postgres", "postgres"));
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private boolean tableExists(String table) throws Exception {
		return rows("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
	}

	private static ConfigurableApplicationContext start(Class<?>... extra) {
		String store = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
		Class<?>[] sources = new Class<?>[extra.length + 1];
		sources[0] = FerryApplication.class;
		System.arraycopy(extra, 0, sources, 1, extra.length);
		return new SpringApplicationBuilder(sources).profiles("test")
			.run("--spring.datasource.url=" + store, "--server.port=0",
					"--ferry.data-dir=" + dir.resolve("data").toAbsolutePath(), "--db-scheduler.polling-interval=200ms",
					"--db-scheduler.heartbeat-interval=1s");
	}

	static final String PLAN = """
			plan: crash
			source: crash-pg
			target: crash-pg
			phases:
			  - id: schema
			    kind: sql
			    apply: CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(40))
			    rollback: DROP TABLE items
			  - id: load
			    kind: import
			    query: SELECT id, name FROM items_src
			    table: items
			    key: [id]
			    columns:
			      id: { type: integer }
			      name: {}
			  - id: check
			    kind: verify
			    gates: [at-most-five]
			    on-fail: rollback
			gates:
			  - { id: at-most-five, check: sql, on: target, query: "SELECT count(*) FROM items", max: 5 }
			""";

	/**
	 * The workers of a process about to die: what is handed to them after a commit (the
	 * durable listeners' work) is kept here and never run.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class WorkersThatNeverRun {

		static final List<Runnable> held = new CopyOnWriteArrayList<>();

		@Bean(name = { "taskExecutor", "applicationTaskExecutor" })
		@Primary
		TaskExecutor taskExecutor() {
			return held::add;
		}

	}

}
