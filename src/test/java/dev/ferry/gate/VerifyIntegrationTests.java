package dev.ferry.gate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verify phases on an H2 target: a verify gate that fails after an apply, with
 * {@code on-fail: rollback}, rolls the plan's applies back newest first (the import to
 * its pre-apply checksum, then the schema script); on a table that had rows before, the
 * rollback leaves exactly those rows, read back by the test; one that passes leaves
 * everything applied.
 */
@FerryAppTest
class VerifyIntegrationTests {

	@TempDir
	static Path files;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	GateService gates;

	@Autowired
	ApprovalService approvals;

	@Test
	void aFailedVerifyRollsThePlansAppliesBackNewestFirst() throws Exception {
		String url = database("verify-fail");
		plan("verify-fail", 5);
		RunView schema = run("verify-fail", "schema", RunMode.APPLY);
		assertThat(run("verify-fail", "load", RunMode.DRY_RUN).state()).isEqualTo(RunState.SUCCEEDED);
		RunView load = run("verify-fail", "load", RunMode.APPLY);
		assertThat(load.state()).as(String.valueOf(load.error())).isEqualTo(RunState.SUCCEEDED);

		Await.until(() -> verification("verify-fail").filter(v -> !v.rollingBack()).isPresent(),
				"the verify phase and its rollbacks");
		Verification verdict = verification("verify-fail").orElseThrow();
		assertThat(verdict.passed()).isFalse();
		assertThat(verdict.afterApply()).isEqualTo(load.id());
		assertThat(verdict.detail()).isEqualTo("at-most-five: 10, needs at most 5");
		assertThat(verdict.rollbackOutcome()).isEqualTo("done");
		assertThat(verdict.rolledBack()).isEqualTo(2);

		assertThat(state(load)).isEqualTo(RunState.ROLLED_BACK);
		assertThat(state(schema)).isEqualTo(RunState.ROLLED_BACK);
		List<RunView> rollbacks = SystemActor.call(() -> this.runs.ofPlan("verify-fail", null, 50))
			.stream()
			.filter(run -> run.mode() == RunMode.ROLLBACK)
			.toList();
		// the list is newest first: the schema's rollback came after the import's, which
		// alone has a checksum
		assertThat(rollbacks).hasSize(2).allSatisfy(run -> assertThat(run.state()).isEqualTo(RunState.SUCCEEDED));
		RunView undoLoad = rollbacks.get(1);
		assertThat(SystemActor.call(() -> this.runs.result(undoLoad.id(), "checksum")).orElseThrow())
			.contains("\"same\": true");
		try (Connection c = DriverManager.getConnection(url, "sa", "");
				ResultSet tables = c.getMetaData().getTables(null, null, "ITEMS", null)) {
			assertThat(tables.next()).as("the schema's rollback dropped the table").isFalse();
		}
	}

	@Test
	void aFailedVerifyRestoresTheTargetTableToItsPreApplyContent() throws Exception {
		String url = database("verify-exact");
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(40))");
			// one row the import updates, one it leaves, one it deletes, and 8 it inserts
			s.execute("INSERT INTO items VALUES (1, 'old name'), (2, 'item 2'), (42, 'not in the source')");
		}
		String before = contents(url);
		SystemActor.run(() -> this.plans.save(null, """
				plan: verify-exact
				source: verify-exact
				target: verify-exact
				phases:
				  - id: load
				    kind: import
				    query: SELECT id, name FROM items_src
				    table: items
				    key: [id]
				    delete-missing: true
				    columns:
				      id: { type: integer }
				      name: {}
				  - id: check
				    kind: verify
				    gates: [at-most-five]
				    on-fail: rollback
				gates:
				  - { id: at-most-five, check: sql, on: target, query: "SELECT count(*) FROM items", max: 5 }
				""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
		run("verify-exact", "load", RunMode.DRY_RUN);
		RunView load = run("verify-exact", "load", RunMode.APPLY);
		assertThat(load.counts().inserted()).isEqualTo(8);
		assertThat(load.counts().updated()).isEqualTo(1);
		assertThat(load.counts().deleted()).isEqualTo(1);

		Await.until(() -> verification("verify-exact").filter(v -> !v.rollingBack()).isPresent(),
				"the verify phase and its rollback");
		Verification verdict = verification("verify-exact").orElseThrow();
		assertThat(verdict.passed()).isFalse();
		assertThat(verdict.rollbackOutcome()).isEqualTo("done");
		assertThat(verdict.rolledBack()).isEqualTo(1);
		assertThat(state(load)).isEqualTo(RunState.ROLLED_BACK);
		RunView undo = SystemActor.call(() -> this.runs.ofPlan("verify-exact", null, 50))
			.stream()
			.filter(run -> run.mode() == RunMode.ROLLBACK)
			.findFirst()
			.orElseThrow();
		assertThat(SystemActor.call(() -> this.runs.result(undo.id(), "checksum")).orElseThrow())
			.contains("\"same\": true");
		// and read by the test itself, not by Ferry: every row as it was
		assertThat(contents(url)).isEqualTo(before);
	}

	private static String contents(String url) throws Exception {
		StringBuilder rows = new StringBuilder();
		try (Connection c = DriverManager.getConnection(url, "sa", "");
				Statement s = c.createStatement();
				ResultSet r = s.executeQuery("SELECT id, name FROM items ORDER BY id")) {
			while (r.next()) {
				rows.append(r.getInt(1)).append('|').append(r.getString(2)).append('\n');
			}
		}
		return rows.toString();
	}

	@Test
	void aPassedVerifyLeavesTheAppliesAlone() throws Exception {
		database("verify-pass");
		plan("verify-pass", 100);
		run("verify-pass", "schema", RunMode.APPLY);
		run("verify-pass", "load", RunMode.DRY_RUN);
		RunView load = run("verify-pass", "load", RunMode.APPLY);

		Await.until(() -> verification("verify-pass").isPresent(), "the verify phase");
		Verification verdict = verification("verify-pass").orElseThrow();
		assertThat(verdict.passed()).isTrue();
		assertThat(verdict.detail()).isNull();
		assertThat(verdict.rollingBack()).isFalse();
		assertThat(state(load)).isEqualTo(RunState.SUCCEEDED);
		assertThat(SystemActor.call(() -> this.gates.latest("verify-pass", "check")).get(0).value()).isEqualTo("10");
	}

	private String database(String name) throws Exception {
		String url = "jdbc:h2:file:" + files.resolve(name).toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items_src (id INTEGER PRIMARY KEY, name VARCHAR(40))");
			s.execute("INSERT INTO items_src SELECT x, 'item ' || x FROM SYSTEM_RANGE(1, 10)");
			H2Login.grant(s);
		}
		SystemActor.run(
				() -> this.connections.create(new ConnectionCommand(name, url, H2Login.USER, H2Login.PASSWORD, false)));
		return url;
	}

	private void plan(String name, int max) {
		SystemActor.run(() -> this.plans.save(null, ("""
				plan: NAME
				source: NAME
				target: NAME
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
				  - { id: at-most-five, check: sql, on: target, query: "SELECT count(*) FROM items", max: MAX }
				""").replace("NAME", name).replace("MAX", String.valueOf(max)).getBytes(StandardCharsets.UTF_8),
				PlanOrigin.API));
	}

	private java.util.Optional<Verification> verification(String plan) {
		return SystemActor.call(() -> this.gates.verification(plan, "check"));
	}

	private RunState state(RunView run) {
		return SystemActor.call(() -> this.runs.get(run.id())).state();
	}

	private RunView run(String plan, String phase, RunMode mode) {
		RunView run = (mode == RunMode.APPLY) ? Actors.requestApply(this.runs, this.approvals, plan, phase)
				: SystemActor.call(() -> this.runs.request(plan, phase, mode));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(run.id())).state().active(), "run #" + run.id());
		RunView done = SystemActor.call(() -> this.runs.get(run.id()));
		assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(RunState.SUCCEEDED);
		return done;
	}

}
