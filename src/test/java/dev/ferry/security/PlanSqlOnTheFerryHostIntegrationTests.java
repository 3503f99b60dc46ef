package dev.ferry.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.InvalidPlanException;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.spec.PlanProblem;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.gate.ApprovalService;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Issue 20, finding 1: a plan's SQL on an H2 connection must not run commands on the
 * Ferry host. The attack was a gate whose query defines a Java function after a leading
 * {@code SELECT} and calls it, evaluated by an operator on an in-memory H2 database
 * (whose creator, Ferry, was its admin). Now an in-memory H2 URL is refused, a login with
 * H2's admin right is refused wherever Ferry opens it, a reading query is one statement
 * (when a plan is saved, and where it runs for a plan stored before), and the user Ferry
 * logs in as cannot define functions or touch files even in an approved sql phase.
 */
@FerryAppTest
class PlanSqlOnTheFerryHostIntegrationTests {

	@TempDir
	static Path dir;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient store;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@BeforeAll
	static void databases() throws Exception {
		try (Connection c = DriverManager.getConnection(url("pwn"), "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
			s.execute("INSERT INTO t VALUES (1), (2)");
			H2Login.grant(s);
		}
	}

	static String url(String name) {
		return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
	}

	/**
	 * The gate query of the finding: a function that runs a shell command, and its call.
	 */
	static String attack(Path marker) {
		return "SELECT 1; CREATE ALIAS EXEC AS 'String exec(String c) throws Exception { "
				+ "new ProcessBuilder(\"sh\", \"-c\", c).start().waitFor(); return c; }'; CALL EXEC('id > " + marker
				+ "')";
	}

	@Test
	void anInMemoryH2DatabaseIsNotAConnection() throws Exception {
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name": "pwn-memory", "jdbcUrl": "jdbc:h2:mem:pwn;DB_CLOSE_DELAY=-1"}
						"""))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString("in-memory H2 database")))
			.andExpect(jsonPath("$.error").value(containsString("admin")));
		assertThat(this.store.sql("SELECT count(*) FROM connection_profiles WHERE name = 'pwn-memory'")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void thePlanWithTheGateOfTheFindingIsNotSaved() {
		Path marker = dir.resolve("saved-marker");
		SystemActor.run(() -> this.connections
			.create(new ConnectionCommand("pwn-save", url("pwn"), H2Login.USER, H2Login.PASSWORD, false)));
		String yaml = plan("pwn-save", "pwn-save", attack(marker));
		assertThatThrownBy(() -> SystemActor
			.run(() -> this.plans.save(null, yaml.getBytes(StandardCharsets.UTF_8), PlanOrigin.API)))
			.isInstanceOfSatisfying(InvalidPlanException.class, ex -> {
				List<PlanProblem> errors = ex.getCheck().errors();
				assertThat(errors).hasSize(1);
				assertThat(errors.get(0).path()).isEqualTo("gates[0].query");
				assertThat(errors.get(0).line()).isEqualTo(13);
				assertThat(errors.get(0).message()).contains("one statement").contains("after 'SELECT 1;'");
			});
		assertThat(marker).doesNotExist();
	}

	@Test
	void theGateOfTheFindingInAPlanStoredBeforeTheRuleRunsNothing() throws Exception {
		// the attacker's setting: an H2 login that is the database's admin, and the plan
		// already stored (as an older Ferry accepted it)
		Path marker = dir.resolve("gate-marker");
		SystemActor
			.run(() -> this.connections.create(new ConnectionCommand("pwn-admin", url("pwn"), "sa", null, false)));
		storeUnchecked("pwn-gate", plan("pwn-gate", "pwn-admin", attack(marker)));

		this.mvc
			.perform(post("/api/v1/plans/pwn-gate/phases/count/gates/evaluate")
				.with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].id").value("rce"))
			.andExpect(jsonPath("$[0].passed").value(false))
			.andExpect(jsonPath("$[0].detail").value(containsString("was not run")))
			.andExpect(jsonPath("$[0].detail").value(containsString("one statement")));
		assertThat(marker).as("the command did not run").doesNotExist();
		assertThat(functions()).as("no function was defined").isZero();
	}

	@Test
	void anH2LoginWithTheAdminRightIsRefusedWhereverItIsOpened() throws Exception {
		SystemActor.run(() -> this.connections.create(new ConnectionCommand("pwn-sa", url("pwn"), "sa", null, false)));
		storeUnchecked("pwn-sa", plan("pwn-sa", "pwn-sa", "SELECT count(*) FROM t"));

		this.mvc
			.perform(post("/api/v1/connections/pwn-sa/test").with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.ok").value(false))
			.andExpect(jsonPath("$.message").value(containsString("Ferry does not log in to H2 as an admin")));
		this.mvc
			.perform(post("/api/v1/plans/pwn-sa/phases/count/gates/evaluate")
				.with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].passed").value(false))
			.andExpect(jsonPath("$[0].detail").value(containsString("SA is an admin of this database")));
	}

	@Test
	void theLoginFerryUsesCannotDefineFunctionsOrTouchFilesEvenInAnApprovedSqlPhase() throws Exception {
		Path marker = dir.resolve("phase-marker");
		Path written = dir.resolve("written.txt");
		SystemActor.run(() -> this.connections
			.create(new ConnectionCommand("pwn-app", url("pwn"), H2Login.USER, H2Login.PASSWORD, false)));
		String yaml = """
				plan: pwn-phase
				source: pwn-app
				target: pwn-app
				phases:
				  - id: run
				    kind: sql
				    apply: |
				      CREATE ALIAS EXEC AS 'String exec(String c) throws Exception { new ProcessBuilder("sh", "-c", c).start().waitFor(); return c; }';
				      CALL EXEC('id > MARKER');
				    rollback: DROP ALIAS IF EXISTS EXEC
				    gates: [written]
				gates:
				  - { id: written, check: sql, level: warn, on: target, query: "SELECT FILE_WRITE('x', 'WRITTEN')", max: 1 }
				"""
			.replace("MARKER", marker.toString())
			.replace("WRITTEN", written.toString());
		SystemActor.run(() -> this.plans.save(null, yaml.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));

		RunView apply = Actors.requestApply(this.runs, this.approvals, "pwn-phase", "run");
		Await.until(() -> !SystemActor.call(() -> this.runs.get(apply.id())).state().active(), "run #" + apply.id());
		RunView done = SystemActor.call(() -> this.runs.get(apply.id()));
		assertThat(done.state()).isEqualTo(RunState.FAILED);
		assertThat(done.error()).contains("Admin rights are required");
		assertThat(marker).as("the command did not run").doesNotExist();
		assertThat(functions()).isZero();

		this.mvc
			.perform(post("/api/v1/plans/pwn-phase/phases/run/gates/evaluate")
				.with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].passed").value(false))
			.andExpect(jsonPath("$[0].detail").value(containsString("Admin rights are required")));
		assertThat(written).as("no file was written").doesNotExist();
	}

	@Test
	void sqliteSqlCannotAttachOrWriteOtherFilesOnTheFerryHost() throws Exception {
		Path file = dir.resolve("confined.db");
		Path attached = dir.resolve("attached.db");
		Path copy = dir.resolve("copy.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
		}
		SystemActor.run(() -> this.connections
			.create(new ConnectionCommand("confined", "jdbc:sqlite:" + file, null, null, false)));
		for (String statement : List.of("ATTACH DATABASE '" + attached + "' AS other", "VACUUM INTO '" + copy + "'")) {
			String name = statement.startsWith("ATTACH") ? "attach" : "vacuum";
			String yaml = """
					plan: confined-NAME
					source: confined
					target: confined
					phases:
					  - id: run
					    kind: sql
					    apply: STATEMENT
					    irreversible: true
					gates: []
					""".replace("NAME", name).replace("STATEMENT", "\"" + statement + "\"");
			SystemActor.run(() -> this.plans.save(null, yaml.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
			RunView dryRun = SystemActor.call(() -> this.runs.request("confined-" + name, "run", RunMode.DRY_RUN));
			Await.until(() -> !SystemActor.call(() -> this.runs.get(dryRun.id())).state().active(),
					"run #" + dryRun.id());
			RunView done = SystemActor.call(() -> this.runs.get(dryRun.id()));
			assertThat(done.state()).as(statement).isEqualTo(RunState.FAILED);
			// VACUUM is refused inside the run's transaction before SQLite's limit is
			// asked
			assertThat(done.error()).as(statement)
				.contains(name.equals("attach") ? "too many attached databases" : "VACUUM");
		}
		assertThat(attached).as("no file was attached or created").doesNotExist();
		assertThat(copy).as("no copy was written").doesNotExist();
	}

	private static String plan(String name, String connection, String query) {
		return """
				plan: NAME
				source: CONNECTION
				target: CONNECTION
				phases:
				  - id: count
				    kind: preflight
				    count: [t]
				    gates: [rce]
				gates:
				  - id: rce
				    check: sql
				    on: target
				    query: "QUERY"
				    max: 1
				""".replace("NAME", name)
			.replace("CONNECTION", connection)
			.replace("QUERY", query.replace("\\", "\\\\").replace("\"", "\\\""));
	}

	/** Stores a plan version as a Ferry from before the one-statement rule would have. */
	private void storeUnchecked(String plan, String yaml) throws Exception {
		String sha = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
		this.store
			.sql("INSERT INTO plan_versions (plan, version, title, yaml, sha256, saved_by, saved_at, origin) "
					+ "VALUES (?, 1, NULL, ?, ?, 'admin', ?, 'api')")
			.params(plan, yaml, sha, OffsetDateTime.now())
			.update();
	}

	private static long functions() throws Exception {
		try (Connection c = DriverManager.getConnection(url("pwn"), "sa", "");
				Statement s = c.createStatement();
				var rs = s
					.executeQuery("SELECT count(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'EXEC'")) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
