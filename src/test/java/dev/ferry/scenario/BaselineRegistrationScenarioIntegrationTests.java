package dev.ferry.scenario;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.preflight.Measurement;
import dev.ferry.preflight.PreflightService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.gate.Verification;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanSummary;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.runbook.Runbook;
import dev.ferry.runbook.RunbookService;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.snapshot.Snapshot;
import dev.ferry.snapshot.SnapshotService;
import dev.ferry.snapshot.SnapshotTable;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample plan {@code baseline-registration} end to end on its demo SQLite file
 * {@code textbooks.db}, with a local HTTP server standing in for the Qdrant vector store:
 * preflight, the dry runs, the gates failing (vector store down, a wrong point count, no
 * operation log yet) and passing, the apply refused without approval and while a gate
 * fails, approval by a second operator, the apply checked in the file itself, the verify
 * phase, and the rollback to the pre-apply tables and checksums. Also: a plan whose http
 * gate names a host that is not allowed is refused when saved.
 */
@FerryAppTest
class BaselineRegistrationScenarioIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-baseline-registration");

	static final String PLAN = "baseline-registration";

	static final int PARAGRAPHS = 3086;

	static final String SHIPPED_URL = "http://localhost:6333/collections/textbook_paragraphs";

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	RunService runs;

	@Autowired
	PreflightService preflights;

	@Autowired
	GateService gates;

	@Autowired
	ApprovalService approvals;

	@Autowired
	PlanService plans;

	@Autowired
	RunbookService runbooks;

	@Autowired
	SnapshotService snapshots;

	@Autowired
	MockMvc mvc;

	final AtomicReference<String> answer = new AtomicReference<>();

	HttpServer vectorStore;

	@AfterEach
	void stopVectorStore() {
		if (this.vectorStore != null) {
			this.vectorStore.stop(0);
		}
	}

	@Test
	void theBaselineIsRegisteredVerifiedAndRolledBack() throws Exception {
		Path file = DATA.toAbsolutePath().resolve("demo/textbooks.db");
		assertThat(file).exists();
		String shipped = Files.readString(Path.of("config/plans/baseline-registration.yaml"));
		assertThat(shipped).contains(SHIPPED_URL);
		assertThat(SystemActor.call(() -> this.plans.latest(PLAN)).version()).isEqualTo(1);
		List<String> tablesBefore = schema(file);
		assertThat(tablesBefore).containsExactly("table chapters", "table paragraphs", "table textbooks");
		String rowsBefore = rows(file);
		assertThat(count(file, "SELECT count(*) FROM chapters")).isEqualTo(220);
		assertThat(count(file, "SELECT count(*) FROM paragraphs")).isEqualTo(PARAGRAPHS);
		assertThat(query(file, "SELECT textbook_id, count(*) FROM chapters GROUP BY textbook_id ORDER BY 1"))
			.isEqualTo("1|92\n2|74\n3|54\n");

		// the vector store is down: the plan names a port nobody listens on (version 2)
		int closedPort;
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("localhost", 0));
			closedPort = socket.getLocalPort();
		}
		save(shipped.replace("localhost:6333", "localhost:" + closedPort));
		GateResult down = gate(evaluate("register"), "vectors-match");
		assertThat(down.state()).isEqualTo(GateResult.State.FAIL);
		assertThat(down.value()).isNull();
		assertThat(down.detail()).isEqualTo("GET http://localhost:" + closedPort
				+ "/collections/textbook_paragraphs failed: nothing answered at localhost:" + closedPort
				+ " (connection refused).");

		// the vector store answers, first with one point missing (version 3)
		startVectorStore();
		this.answer.set(collection(PARAGRAPHS - 1));
		String url = "http://localhost:" + this.vectorStore.getAddress().getPort() + "/collections/textbook_paragraphs";
		save(shipped.replace(SHIPPED_URL, url));
		assertThat(SystemActor.call(() -> this.plans.latest(PLAN)).version()).isEqualTo(3);

		// 1. preflight: counts, checksums, the chapters-per-textbook baseline
		RunView preflight = run("preflight", RunMode.DRY_RUN);
		List<Measurement> first = SystemActor.call(() -> this.preflights.measurements(preflight.id()));
		assertThat(first).extracting(Measurement::subject)
			.containsExactly("textbooks", "chapters", "paragraphs", "chapters-per-textbook");
		assertThat(first).extracting(Measurement::kind)
			.containsExactly(Measurement.Kind.TABLE, Measurement.Kind.TABLE, Measurement.Kind.TABLE,
					Measurement.Kind.QUERY);
		assertThat(first).extracting(Measurement::rows).containsExactly(3L, 220L, (long) PARAGRAPHS, 3L);
		assertThat(first.subList(0, 3)).extracting(Measurement::checksum)
			.satisfiesExactly((sum) -> assertThat(sum).startsWith("3:"), (sum) -> assertThat(sum).startsWith("220:"),
					(sum) -> assertThat(sum).startsWith("3086:"));
		String perTextbook = first.get(3).checksum();
		assertThat(perTextbook).hasSize(64);

		// 3. the gates before the fix: the vector store is one point short, no log yet
		List<GateResult> register = evaluate("register");
		assertThat(register).extracting(GateResult::id)
			.containsExactly("chapter-count", "vectors-match", "fresh-backup");
		assertThat(gate(register, "fresh-backup").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(gate(register, "fresh-backup").detail())
			.isEqualTo("No snapshot of textbooks, chapters, paragraphs is kept (phase backup takes it).");
		assertThat(gate(register, "chapter-count").state()).isEqualTo(GateResult.State.PASS);
		assertThat(gate(register, "chapter-count").value()).isEqualTo("220");
		GateResult wrong = gate(register, "vectors-match");
		assertThat(wrong.state()).isEqualTo(GateResult.State.FAIL);
		assertThat(wrong.value()).isEqualTo("3085");
		assertThat(wrong.threshold()).isEqualTo("equal to 3086");
		List<GateResult> verify = evaluate("verify");
		GateResult noLog = gate(verify, "log-empty");
		assertThat(noLog.state()).isEqualTo(GateResult.State.FAIL);
		assertThat(noLog.value()).isNull();
		assertThat(noLog.detail()).isEqualTo(
				"The query failed on textbooks: [SQLITE_ERROR] SQL error or missing database (no such table: operation_log)");
		assertThat(gate(verify, "baseline-matches").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(gate(verify, "baseline-matches").detail()).contains("no such table: version_registry");
		assertThat(gate(verify, "vectors-match").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(gate(verify, "chapter-count").state()).isEqualTo(GateResult.State.PASS);
		assertThat(gate(verify, "chapters-per-textbook").state()).isEqualTo(GateResult.State.PASS);
		assertThat(gate(verify, "chapters-per-textbook").value())
			.isEqualTo("3 rows, checksum " + perTextbook.substring(0, 12));

		// the snapshot before anything changes: the three tables copied, each equal to
		// its
		// live table (the preflight's checksums), and the gate that needs it passes
		RunView backup = run("backup", RunMode.DRY_RUN);
		Snapshot snapshot = SystemActor.call(() -> this.snapshots.get(backup.id())).orElseThrow();
		assertThat(snapshot.tables()).extracting(SnapshotTable::table)
			.containsExactly("textbooks", "chapters", "paragraphs");
		assertThat(snapshot.tables()).extracting(SnapshotTable::checksum)
			.isEqualTo(first.subList(0, 3).stream().map(Measurement::checksum).toList());
		assertThat(schema(file)).isEqualTo(tablesBefore);
		assertThat(gate(evaluate("register"), "fresh-backup").state()).isEqualTo(GateResult.State.PASS);

		// 2. the register phase's dry run on SQLite runs the statements and rolls back
		RunView dryRun = run("register", RunMode.DRY_RUN);
		List<String> log = SystemActor.call(() -> this.runs.log(dryRun.id()))
			.stream()
			.map(RunLogLine::message)
			.toList();
		assertThat(log)
			.anySatisfy((line) -> assertThat(line).startsWith("Statement 1 of 3: CREATE TABLE version_registry"))
			.anySatisfy((line) -> assertThat(line).startsWith("Statement 2 of 3: CREATE TABLE operation_log"))
			.anySatisfy((line) -> assertThat(line).startsWith("Statement 3 of 3: INSERT INTO version_registry")
				.endsWith("— 1 row(s)."))
			.contains("Rolled back: the dry run changed nothing on textbooks.");
		assertThat(schema(file)).isEqualTo(tablesBefore);
		assertThat(rows(file)).isEqualTo(rowsBefore);

		// 3. after its dry runs the runbook has its downtime table: the preflight and the
		// register phase (its dry run executed the statements on SQLite) are measured,
		// the verify not yet
		Runbook book = Actors.as("viewer", Role.VIEWER, () -> this.runbooks.runbook(PLAN));
		assertThat(book.downtime().rows()).extracting(Runbook.DowntimeRow::phase)
			.containsExactly("preflight", "backup", "register", "verify");
		assertThat(book.downtime().rows()).extracting((row) -> row.estimate().measured())
			.containsExactly(true, true, true, false);
		assertThat(book.downtime().rows().get(1).estimate().basis()).startsWith("snapshot #" + backup.id() + " took ");
		assertThat(book.downtime().rows().get(2).estimate().basis())
			.startsWith("dry run #" + dryRun.id() + " executed the statements in ");
		assertThat(book.downtime().totalText()).startsWith("at least ").endsWith("(1 phase not measured yet)");
		assertThat(book.rollbackPath()).extracting(Runbook.RollbackStep::phase).containsExactly("register");

		// 4. while the vector store disagrees the apply is refused, and so is the
		// approval
		RefusedException locked = catchThrowableOfType(RefusedException.class,
				() -> SystemActor.call(() -> this.runs.request(PLAN, "register", RunMode.APPLY)));
		assertThat(locked.getReasons()).contains("Gate vectors-match fails: 3085, needs equal to 3086.");
		assertThatExceptionOfType(RefusedException.class)
			.isThrownBy(() -> Actors.approve(this.approvals, PLAN, "register", dryRun.id()))
			.withMessage("Dry run #" + dryRun.id()
					+ " cannot be approved while its gates fail: Gate vectors-match fails: 3085, needs equal to 3086.");

		// the fix: the vector store holds a point per paragraph
		this.answer.set(collection(PARAGRAPHS));
		GateResult fixed = gate(evaluate("register"), "vectors-match");
		assertThat(fixed.state()).isEqualTo(GateResult.State.PASS);
		assertThat(fixed.value()).isEqualTo("3086");

		// still no apply without the approval of a second operator, who is not the
		// requester
		RefusedException unapproved = catchThrowableOfType(RefusedException.class,
				() -> SystemActor.call(() -> this.runs.request(PLAN, "register", RunMode.APPLY)));

		assertThat(unapproved.getReasons()).isNotEmpty().noneMatch((reason) -> reason.startsWith("Gate "));
		Actors.approve(this.approvals, PLAN, "register", dryRun.id());

		// 5. the apply, checked in the file
		RunView apply = Await.finished(this.runs,
				SystemActor.call(() -> this.runs.request(PLAN, "register", RunMode.APPLY)));
		assertThat(apply.state()).as(apply.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(schema(file)).containsExactly("table chapters", "table operation_log", "table paragraphs",
				"index sqlite_autoindex_version_registry_1", "table textbooks", "table version_registry");
		assertThat(query(file, "SELECT run_mode, run_id, plan, phase FROM ferry_sql_runs"))
			.as("Ferry's ledger row of the apply, committed with its statements")
			.isEqualTo("apply|" + apply.id() + "|" + PLAN + "|register\n");
		String registry = query(file, "SELECT version, chapter_count, chapter_fingerprint, paragraph_count, "
				+ "paragraph_fingerprint, created_at FROM version_registry");
		assertThat(registry.lines()).hasSize(1);
		assertThat(registry).startsWith("baseline|220|" + fingerprint(file, "chapters", "textbook_id", "title") + "|"
				+ PARAGRAPHS + "|" + fingerprint(file, "paragraphs", "chapter_id", "body") + "|");
		assertThat(registry).matches("(?s).*\\|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n");
		assertThat(count(file, "SELECT count(*) FROM operation_log")).isZero();
		assertThat(rows(file)).as("the store's own rows are untouched").isEqualTo(rowsBefore);

		// 6. verify: measured after the apply, every gate passes
		Await.until(() -> verification().isPresent(), "the verify phase");
		Verification verdict = verification().orElseThrow();
		assertThat(verdict.afterApply()).isEqualTo(apply.id());
		assertThat(verdict.passed()).as(verdict.detail()).isTrue();
		List<GateResult> verified = evaluate("verify");
		assertThat(verified).extracting(GateResult::id)
			.containsExactly("chapter-count", "chapters-per-textbook", "log-empty", "vectors-match",
					"baseline-matches");
		assertThat(verified).allSatisfy((result) -> assertThat(result.state()).isEqualTo(GateResult.State.PASS));
		assertThat(verified).extracting(GateResult::value)
			.containsExactly("220", "3 rows, checksum " + perTextbook.substring(0, 12), "0", "3086", "1");

		// 7. rollback, then the file and the checksums are as before the apply
		RunView rollback = Await.finished(this.runs, SystemActor.call(() -> this.runs.rollback(apply.id())));
		assertThat(rollback.state()).as(rollback.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(SystemActor.call(() -> this.runs.get(apply.id())).state()).isEqualTo(RunState.ROLLED_BACK);
		assertThat(schema(file)).isEqualTo(tablesBefore);
		assertThat(rows(file)).isEqualTo(rowsBefore);
		assertThat(query(file, "SELECT run_mode, run_id FROM ferry_sql_runs ORDER BY run_id"))
			.isEqualTo("apply|" + apply.id() + "\nrollback|" + rollback.id() + "\n");
		// the runbook now has every phase measured: the verify by its verdict, the
		// rollback by its run
		Runbook after = Actors.as("viewer", Role.VIEWER, () -> this.runbooks.runbook(PLAN));
		assertThat(after.downtime().notMeasured()).isZero();
		assertThat(after.steps().get(2).rollback().basis()).startsWith("rollback #" + rollback.id() + " took ");
		RunView again = run("preflight", RunMode.DRY_RUN);
		List<Measurement> last = SystemActor.call(() -> this.preflights.measurements(again.id()));
		assertThat(last).extracting(Measurement::rows).containsExactly(3L, 220L, (long) PARAGRAPHS, 3L);
		assertThat(last).extracting(Measurement::checksum)
			.isEqualTo(first.stream().map(Measurement::checksum).toList());
	}

	@Test
	void anHttpGateOnAHostNotAllowedIsRefusedWhenThePlanIsSaved() throws Exception {
		String shipped = Files.readString(Path.of("config/plans/baseline-registration.yaml"));
		String elsewhere = shipped.replace("plan: baseline-registration", "plan: baseline-elsewhere")
			.replace("localhost:6333", "vectors.example.com:6333");
		this.mvc
			.perform(put("/api/v1/plans/baseline-elsewhere").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(elsewhere))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.error").value("The plan is not valid."))
			.andExpect(jsonPath("$.errors.length()").value(1))
			.andExpect(jsonPath("$.errors[0].line").value(81))
			.andExpect(jsonPath("$.errors[0].column").value(10))
			.andExpect(jsonPath("$.errors[0].path").value("gates[3].url"))
			.andExpect(jsonPath("$.errors[0].message")
				.value("Host 'vectors.example.com' is not allowed for http gates; allowed: localhost, localhost:6333"));
		assertThat(SystemActor.call(() -> this.plans.list())).extracting(PlanSummary::plan)
			.contains(PLAN)
			.doesNotContain("baseline-elsewhere");
	}

	/** The plan's fingerprint, computed here from the rows as read. */
	private static long fingerprint(Path file, String table, String parent, String text) throws SQLException {
		long sum = 0;
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT id, " + parent + ", number, " + text + " FROM " + table)) {
			while (rs.next()) {
				sum += rs.getLong(1) * 1000003 + rs.getLong(2) * 7919 + rs.getLong(3) * 131 + rs.getString(4).length();
			}
		}
		return sum;
	}

	private void startVectorStore() throws IOException {
		this.vectorStore = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		this.vectorStore.createContext("/collections/textbook_paragraphs", (exchange) -> {
			byte[] body = this.answer.get().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.vectorStore.start();
	}

	private static String collection(int points) {
		return "{\"result\":{\"status\":\"green\",\"points_count\":" + points + ",\"indexed_vectors_count\":" + points
				+ "},\"status\":\"ok\",\"time\":0.0001}";
	}

	private void save(String yaml) {
		SystemActor.run(() -> this.plans.save(PLAN, yaml.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
	}

	private List<GateResult> evaluate(String phase) {
		return SystemActor.call(() -> this.gates.evaluate(PLAN, phase));
	}

	private Optional<Verification> verification() {
		return SystemActor.call(() -> this.gates.verification(PLAN, "verify"));
	}

	private static GateResult gate(List<GateResult> results, String id) {
		return results.stream().filter((result) -> result.id().equals(id)).findFirst().orElseThrow();
	}

	private RunView run(String phase, RunMode mode) {
		RunView run = Await.finished(this.runs, SystemActor.call(() -> this.runs.request(PLAN, phase, mode)));
		assertThat(run.state()).as(run.error()).isEqualTo(RunState.SUCCEEDED);
		return run;
	}

	/**
	 * The tables and indexes of the file, but for Ferry's own ledger of sql runs
	 * ({@code ferry_sql_runs}, created by the apply and kept), which the test reads on
	 * its own.
	 */
	private static List<String> schema(Path file) throws SQLException {
		List<String> lines = new ArrayList<>();
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(
						"SELECT type, name FROM sqlite_master WHERE tbl_name <> 'ferry_sql_runs' ORDER BY name")) {
			while (rs.next()) {
				lines.add(rs.getString(1) + " " + rs.getString(2));
			}
		}
		return lines;
	}

	/** Every row of the store's three tables, as text. */
	private static String rows(Path file) throws SQLException {
		StringBuilder all = new StringBuilder();
		for (String table : List.of("textbooks", "chapters", "paragraphs")) {
			all.append(table).append('\n').append(query(file, "SELECT * FROM " + table + " ORDER BY id"));
		}
		return all.toString();
	}

	private static long count(Path file, String sql) throws SQLException {
		return Long.parseLong(query(file, sql).strip());
	}

	private static String query(Path file, String sql) throws SQLException {
		StringBuilder text = new StringBuilder();
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(sql)) {
			ResultSetMetaData meta = rs.getMetaData();
			while (rs.next()) {
				for (int i = 1; i <= meta.getColumnCount(); i++) {
					text.append((i > 1) ? "|" : "").append(rs.getString(i));
				}
				text.append('\n');
			}
		}
		return text.toString();
	}

}
