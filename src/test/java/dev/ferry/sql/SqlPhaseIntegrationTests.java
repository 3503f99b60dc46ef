package dev.ferry.sql;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.gate.ApprovalService;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sql phase on real databases: on PostgreSQL the dry run executes and rolls back (the
 * catalogue is unchanged, the update counts are reported), apply creates, rollback
 * removes (Ferry's ledger of sql runs, created by the apply, stays); the same on SQLite;
 * on H2 the dry run only parses and says so.
 */
class SqlPhaseIntegrationTests extends PostgresIntegrationTest {

	static final String PLAN = """
			plan: pg-schema
			title: A table on PostgreSQL
			source: pgtarget
			target: pgtarget
			phases:
			  - id: seed
			    kind: sql
			    apply: |
			      CREATE TABLE widgets (id INTEGER PRIMARY KEY, name VARCHAR(50));
			      -- three widgets; two get upper-case names
			      INSERT INTO widgets VALUES (1, 'a;b'), (2, 'b'), (3, 'c');
			      UPDATE widgets SET name = upper(name) WHERE id > 1;
			    rollback: |
			      DROP TABLE widgets;
			gates: []
			""";

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Test
	void dryRunChangesNothingApplyCreatesRollbackRemoves() throws Exception {
		try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE sqltarget");
		}
		String url = postgres().getJdbcUrl("postgres", "sqltarget");
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("pgtarget", url, "postgres", null, false));
			this.plans.save(null, PLAN.getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		Set<String> before = tables();

		RunView dryRun = finished(SystemActor.call(() -> this.runs.request("pg-schema", "seed", RunMode.DRY_RUN)));
		assertThat(dryRun.state()).as(dryRun.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(tables()).as("the dry run left the catalogue unchanged").isEqualTo(before);
		assertThat(messages(dryRun))
			.anySatisfy(line -> assertThat(line).startsWith("Statement 2 of 3").endsWith("— 3 row(s)."))
			.anySatisfy(line -> assertThat(line).startsWith("Statement 3 of 3").endsWith("— 2 row(s)."))
			.anySatisfy(line -> assertThat(line).startsWith("Rolled back"));

		RunView apply = finished(Actors.requestApply(this.runs, this.approvals, "pg-schema", "seed"));
		assertThat(apply.state()).as(apply.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(tables()).contains("widgets", "ferry_sql_runs");

		RunView rollback = finished(SystemActor.call(() -> this.runs.rollback(apply.id())));
		assertThat(rollback.state()).as(rollback.error()).isEqualTo(RunState.SUCCEEDED);
		Set<String> ledger = new java.util.TreeSet<>(before);
		ledger.add("ferry_sql_runs");
		assertThat(tables()).as("as before, and Ferry's ledger of sql runs").isEqualTo(ledger);
		assertThat(SystemActor.call(() -> this.runs.get(apply.id())).state()).isEqualTo(RunState.ROLLED_BACK);
	}

	@Test
	void anIrreversiblePhaseIsAppliedOnlyWithTheExtraConfirmation() throws Exception {
		String plan = """
				plan: pg-irreversible
				source: pgtarget2
				target: pgtarget2
				phases:
				  - id: drop
				    kind: sql
				    irreversible: true
				    apply: CREATE TABLE scratch (id INT)
				gates: []
				""";
		try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE irreversible");
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("pgtarget2",
					postgres().getJdbcUrl("postgres", "irreversible"), "postgres", null, false));
			this.plans.save(null, plan.getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		org.assertj.core.api.Assertions.assertThatExceptionOfType(dev.ferry.problem.RefusedException.class)
			.isThrownBy(() -> SystemActor.call(() -> this.runs.request("pg-irreversible", "drop", RunMode.APPLY)))
			.withMessageContaining("is irreversible");
		Actors.approved(this.runs, this.approvals, "pg-irreversible", "drop");
		RunView apply = finished(
				SystemActor.call(() -> this.runs.request("pg-irreversible", "drop", RunMode.APPLY, true)));
		assertThat(apply.state()).as(apply.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(SystemActor.call(() -> this.connections.catalog("pgtarget2")).orElseThrow().table("scratch"))
			.isPresent();
	}

	@Test
	void onH2TheDryRunParsesAndSaysItExecutedNothing() throws Exception {
		RunView dryRun = finished(SystemActor.call(() -> this.runs.request("ahs-v2", "schema", RunMode.DRY_RUN)));
		assertThat(dryRun.state()).as(dryRun.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(messages(dryRun)).anySatisfy(line -> assertThat(line).contains("did not execute the statements"))
			.anySatisfy(line -> assertThat(line).startsWith("Statement 2 of 2 parses: CREATE TABLE AhsListingV2Map"));
		assertThat(SystemActor.call(() -> this.connections.catalog("app")).orElseThrow().table("AhsListingV2"))
			.as("nothing was created")
			.isEmpty();
	}

	@Test
	void onSqliteTheDryRunExecutesAndRollsBackApplyCreatesRollbackRemoves() throws Exception {
		java.nio.file.Path file = dev.ferry.support.Workspaces.temporaryFolder("ferry-sql-sqlite").resolve("store.db");
		String url = "jdbc:sqlite:" + file.toAbsolutePath();
		try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT)");
			s.execute("INSERT INTO books VALUES (1, 'a'), (2, 'b')");
		}
		String plan = """
				plan: sqlite-schema
				source: sqlitetarget
				target: sqlitetarget
				phases:
				  - id: seed
				    kind: sql
				    apply: |
				      CREATE TABLE registry (name TEXT PRIMARY KEY, books INTEGER);
				      INSERT INTO registry SELECT 'baseline', count(*) FROM books;
				    rollback: DROP TABLE registry
				gates: []
				""";
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("sqlitetarget", url, null, null, false));
			this.plans.save(null, plan.getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});

		RunView dryRun = finished(SystemActor.call(() -> this.runs.request("sqlite-schema", "seed", RunMode.DRY_RUN)));
		assertThat(dryRun.state()).as(dryRun.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(messages(dryRun)).anySatisfy(
				line -> assertThat(line).startsWith("Statement 2 of 2: INSERT INTO registry").endsWith("— 1 row(s)."))
			.anySatisfy(line -> assertThat(line).startsWith("Rolled back"));
		assertThat(sqliteTables(url)).as("the dry run left the file unchanged").containsExactly("books");

		RunView apply = finished(Actors.requestApply(this.runs, this.approvals, "sqlite-schema", "seed"));
		assertThat(apply.state()).as(apply.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(sqliteTables(url)).containsExactly("books", "ferry_sql_runs", "registry");

		RunView rollback = finished(SystemActor.call(() -> this.runs.rollback(apply.id())));
		assertThat(rollback.state()).as(rollback.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(sqliteTables(url)).containsExactly("books", "ferry_sql_runs");
	}

	private static java.util.List<String> sqliteTables(String url) throws SQLException {
		java.util.List<String> names = new java.util.ArrayList<>();
		try (Connection c = java.sql.DriverManager.getConnection(url);
				Statement s = c.createStatement();
				java.sql.ResultSet rs = s
					.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
			while (rs.next()) {
				names.add(rs.getString(1));
			}
		}
		return names;
	}

	private java.util.List<String> messages(RunView run) {
		return SystemActor.call(() -> this.runs.log(run.id())).stream().map(RunLogLine::message).toList();
	}

	private Set<String> tables() throws SQLException {
		return SystemActor.call(() -> this.connections.catalog("pgtarget")).orElseThrow().tables().keySet();
	}

	private RunView finished(RunView run) {
		return Await.finished(this.runs, run);
	}

}
