package dev.ferry.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.Queue;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.PeopleTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * Every mutating API endpoint and every console form against every role (and nobody
 * signed in): a role the endpoint does not allow gets 403 (nobody: 401 from the API, the
 * login page from the console; a form without its CSRF token: 403) and changes nothing,
 * not even the audit log; an allowed role gets past the role check (its answer is then
 * the rule's: 2xx, a redirect with a message, 404 or 409). Then two apply requests at the
 * same moment: one starts, the other is refused. And the rules through the API:
 * self-approval 403; an apply without approval, with a failing gate, after a voiding
 * undo, and the approval of a stale dry run 409 with reasons, each changing nothing.
 */
@FerryAppTest
class RequestMatrixIntegrationTests {

	static final List<String> USERS = List.of("viewer", "owner", "reviewer", "operator", "admin");

	@TempDir
	static Path files;

	@Autowired
	MockMvc mvc;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	MappingService mappings;

	@Autowired
	ApprovalService approvals;

	@Autowired
	JdbcClient store;

	@Autowired
	JsonMapper json;

	/** One mutating endpoint and the roles it allows (ADMIN holds every role). */
	record Endpoint(HttpMethod method, String path, String contentType, String body, Set<String> allowed) {
	}

	@Test
	void everyMutatingEndpointAnswersEachRoleAsItShould() throws Exception {
		fixture();
		RunView dryRun = finished(SystemActor.call(() -> this.runs.request("matrix", "map", RunMode.DRY_RUN)));
		String oldKey = SystemActor.call(() -> this.mappings.items("matrix", "map", Queue.UNRESOLVED, null, null, 1))
			.items()
			.get(0)
			.oldKey();
		String phase = "/api/v1/plans/matrix/phases/map";
		String json = MediaType.APPLICATION_JSON_VALUE;
		List<Endpoint> endpoints = List.of(
				new Endpoint(HttpMethod.POST, "/api/v1/connections", json,
						"{\"name\": \"matrix-new\", \"jdbcUrl\": \"jdbc:h2:file:"
								+ files.resolve("matrix-new").toAbsolutePath() + "\", \"username\": \"" + H2Login.USER
								+ "\", \"password\": \"" + H2Login.PASSWORD + "\"}",
						Set.of("admin")),
				new Endpoint(HttpMethod.POST, "/api/v1/connections/matrix/test", null, null,
						Set.of("operator", "admin")),
				new Endpoint(HttpMethod.PUT, "/api/v1/plans/matrix", "application/yaml", plan("matrix changed"),
						Set.of("admin")),
				new Endpoint(HttpMethod.POST, phase + "/runs", json, "{\"mode\": \"apply\"}",
						Set.of("operator", "admin")),
				new Endpoint(HttpMethod.POST, "/api/v1/runs/" + dryRun.id() + "/cancel", null, null,
						Set.of("operator", "admin")),
				new Endpoint(HttpMethod.POST, "/api/v1/runs/" + dryRun.id() + "/rollback", null, null,
						Set.of("operator", "admin")),
				new Endpoint(HttpMethod.POST, phase + "/gates/evaluate", null, null, Set.of("operator", "admin")),
				new Endpoint(HttpMethod.POST, phase + "/approvals", json, "{\"runId\": " + dryRun.id() + "}",
						Set.of("owner", "operator", "admin")),
				new Endpoint(HttpMethod.POST, phase + "/mapping/" + oldKey + "/decision", json,
						"{\"status\": \"excluded\", \"reason\": \"matrix\", \"version\": 999}",
						Set.of("reviewer", "admin")),
				new Endpoint(HttpMethod.DELETE, phase + "/mapping/" + oldKey + "/decision?version=999", null, null,
						Set.of("reviewer", "admin")),
				// a run that does not exist: nothing of the shared store is purged
				new Endpoint(HttpMethod.POST, "/api/v1/admin/retention/purge", json,
						"{\"items\": [{\"kind\": \"undo-images\", \"runId\": 987654321}]}", Set.of("admin")));
		List<String> checked = new ArrayList<>();
		for (Endpoint endpoint : endpoints) {
			noActiveRuns();
			long before = auditHead();
			int anonymous = perform(endpoint, null);
			assertThat(anonymous).as("nobody signed in: %s %s", endpoint.method(), endpoint.path()).isEqualTo(401);
			assertThat(auditHead()).as("a refused request changes nothing").isEqualTo(before);
			eachRole(endpoint.method() + " " + endpoint.path(), endpoint.allowed(), user -> perform(endpoint, user),
					checked);
		}
		assertThat(checked).hasSize(endpoints.size() * USERS.size());
	}

	/** One console form and the roles it allows. */
	record Form(String path, Map<String, String> fields, Set<String> allowed) {
	}

	@Test
	void everyConsoleFormAnswersEachRoleAsItShouldAndNeedsItsCsrfToken() throws Exception {
		fixture();
		RunView dryRun = finished(SystemActor.call(() -> this.runs.request("matrix", "map", RunMode.DRY_RUN)));
		String oldKey = SystemActor.call(() -> this.mappings.items("matrix", "map", Queue.UNRESOLVED, null, null, 1))
			.items()
			.get(0)
			.oldKey();
		String url = SystemActor.call(() -> this.connections.get("matrix")).jdbcUrl();
		String phase = "/plans/matrix/phases/map";
		Set<String> everyone = Set.copyOf(USERS);
		List<Form> forms = List.of(
				// first, while the dry run is the latest of the plan as it is
				new Form(phase + "/approvals", Map.of("runId", String.valueOf(dryRun.id()), "comment", "matrix"),
						Set.of("owner", "operator", "admin")),
				new Form("/plans", Map.of("yaml", plan("matrix from the editor")), Set.of("admin")),
				new Form("/plans/matrix/edit", Map.of("yaml", plan("matrix edited")), Set.of("admin")),
				new Form(phase + "/runs", Map.of("mode", "dry-run"), Set.of("operator", "admin")),
				new Form("/runs/" + dryRun.id() + "/rollback", Map.of(), Set.of("operator", "admin")),
				new Form("/runs/" + dryRun.id() + "/cancel", Map.of(), Set.of("operator", "admin")),
				new Form(phase + "/queue/item",
						Map.of("key", oldKey, "status", "unresolved", "action", "exclude", "reason", "matrix",
								"version", "999"),
						Set.of("reviewer", "admin")),
				new Form(phase + "/queue/bulk-accept",
						Map.of("status", "ambiguous", "bulkScore", "0.99", "expected", "999"),
						Set.of("reviewer", "admin")),
				new Form("/connections",
						Map.of("name", "matrix-page", "jdbcUrl",
								"jdbc:h2:file:" + files.resolve("matrix-page").toAbsolutePath(), "username",
								H2Login.USER, "password", H2Login.PASSWORD),
						Set.of("admin")),
				new Form("/connections/matrix", Map.of("name", "matrix", "jdbcUrl", url, "username", H2Login.USER),
						Set.of("admin")),
				new Form("/connections/no-such-connection/delete", Map.of(), Set.of("admin")),
				new Form("/connections/matrix/test", Map.of(), Set.of("operator", "admin")),
				new Form("/admin/users",
						Map.of("username", "matrix-user", "password", "matrix-password-123", "roles", "VIEWER"),
						Set.of("admin")),
				new Form("/admin/users/viewer/roles", Map.of("roles", "VIEWER"), Set.of("admin")),
				new Form("/admin/users/no-such-user/password",
						Map.of("password", "matrix-password-123", "confirm", "matrix-password-123"), Set.of("admin")),
				new Form("/admin/users/no-such-user/enabled", Map.of("enabled", "false"), Set.of("admin")),
				new Form("/admin/retention/purge", Map.of("items", "undo-images:987654321"), Set.of("admin")),
				new Form("/profile/password", Map.of("current", "not-my-password", "password", "matrix-password-123",
						"confirm", "matrix-password-123"), everyone));
		Map<String, MockHttpSession> sessions = new HashMap<>();
		for (String user : USERS) {
			sessions.put(user, ConsoleSession.signIn(this.mvc, user));
		}
		List<String> checked = new ArrayList<>();
		for (Form form : forms) {
			// a run an allowed form started writes its transitions to the audit log
			// itself: let it end first
			noActiveRuns();
			long before = auditHead();
			MockHttpServletResponse anonymous = submit(form, null, true);
			assertThat(anonymous.getStatus()).as("nobody signed in: %s", form.path()).isEqualTo(302);
			assertThat(anonymous.getRedirectedUrl()).as("nobody signed in: %s", form.path()).endsWith("/login");
			MockHttpServletResponse noToken = submit(form, sessions.get("admin"), false);
			assertThat(noToken.getStatus()).as("admin without the CSRF token: %s", form.path()).isEqualTo(403);
			assertThat(auditHead()).as("a refused form changes nothing: %s", form.path()).isEqualTo(before);
			eachRole("POST " + form.path(), form.allowed(), user -> submit(form, sessions.get(user), true).getStatus(),
					checked);
		}
		assertThat(checked).hasSize(forms.size() * USERS.size());
		// what the allowed ones did, in the store
		assertThat(SystemActor.call(() -> this.connections.exists("matrix-page"))).isTrue();
		assertThat(SystemActor.call(() -> this.approvals.ofPhase("matrix", "map", 10)))
			.extracting(approval -> approval.approvedBy())
			.contains("operator");
		noActiveRuns();
	}

	private void noActiveRuns() {
		Await.until(() -> SystemActor.call(() -> this.runs.ofPlan("matrix", null, 50))
			.stream()
			.noneMatch(run -> run.state().active()), "the plan's runs to end");
	}

	private MockHttpServletResponse submit(Form form, MockHttpSession session, boolean token) throws Exception {
		MockHttpServletRequestBuilder request = post(form.path());
		form.fields().forEach(request::param);
		if (session != null) {
			request.session(session);
		}
		if (token) {
			request.with(csrf());
		}
		return this.mvc.perform(request).andReturn().getResponse();
	}

	@Test
	void twoApplyRequestsAtOnceStartOneRun() throws Exception {
		fixture();
		RunView dryRun = finished(SystemActor.call(() -> this.runs.request("matrix", "schema", RunMode.DRY_RUN)));
		Actors.approve(this.approvals, "matrix", "schema", dryRun.id());
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Callable<Object> apply = () -> {
				start.await();
				try {
					return Actors.as("operator", Role.OPERATOR,
							() -> this.runs.request("matrix", "schema", RunMode.APPLY));
				}
				catch (RefusedException ex) {
					return ex;
				}
			};
			Future<Object> first = pool.submit(apply);
			Future<Object> second = pool.submit(apply);
			start.countDown();
			List<Object> outcomes = List.of(first.get(), second.get());
			assertThat(outcomes).filteredOn(RunView.class::isInstance).hasSize(1);
			assertThat(outcomes).filteredOn(RefusedException.class::isInstance)
				.singleElement()
				.satisfies(refused -> assertThat(((RefusedException) refused).getCode()).isIn("run.planBusy",
						"run.noReviewedDryRun"));
			finished((RunView) outcomes.stream().filter(RunView.class::isInstance).findFirst().orElseThrow());
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(SystemActor.call(() -> this.runs.ofPlan("matrix", null, 50))
			.stream()
			.filter(run -> run.mode() == RunMode.APPLY)).hasSize(1);
	}

	@Test
	void theApplyRulesAnswerThroughTheApi() throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("rules").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			PeopleTables.create(s, "(1, 'Ann Lee'), (2, 'Dee Ox')", "(10, 'ann lee')");
			s.execute("CREATE TABLE blockers (id INTEGER PRIMARY KEY)");
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("rules", url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, """
					plan: rules
					source: rules
					target: rules
					phases:
					MAP
					    gates: [none-open, no-blockers]
					gates:
					  - { id: none-open, check: mapping-open, max: 0 }
					  - { id: no-blockers, check: sql, on: target, query: "SELECT count(*) FROM blockers", max: 0 }
					""".replace("MAP\n", PeopleTables.MAP_PHASE).getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		String phase = "/api/v1/plans/rules/phases/map";
		long first = runId(api("operator", HttpMethod.POST, phase + "/runs", "{\"mode\": \"dry-run\"}", 202));
		finished(SystemActor.call(() -> this.runs.get(first)));

		// self-approval: 403, and nothing recorded
		refused("operator", phase + "/approvals", "{\"runId\": " + first + "}", 403);
		// the gate fails (Dee Ox has no match yet): no approval, no apply
		assertThat(refused("operator2", phase + "/approvals", "{\"runId\": " + first + "}", 409))
			.anySatisfy(reason -> assertThat(reason).startsWith("Gate none-open fails"));
		assertThat(refused("operator", phase + "/runs", "{\"mode\": \"apply\"}", 409))
			.anySatisfy(reason -> assertThat(reason).startsWith("Dry run #" + first + " needs 1 operator approval(s)"))
			.anySatisfy(reason -> assertThat(reason).startsWith("Gate none-open fails"));

		// the reviewer excludes the open item; operator2 approves that state of the dry
		// run
		MappingItem open = SystemActor.call(() -> this.mappings.items("rules", "map", Queue.UNRESOLVED, null, null, 1))
			.items()
			.get(0);
		String decision = phase + "/mapping/" + open.oldKey() + "/decision";
		api("reviewer", HttpMethod.POST, decision,
				"{\"status\": \"excluded\", \"reason\": \"left the company\", \"version\": " + open.version() + "}",
				200);
		api("operator2", HttpMethod.POST, phase + "/approvals", "{\"runId\": " + first + "}", 201);

		// a gate that fails after the approval: the apply request measures again, 409
		execute(url, "INSERT INTO blockers VALUES (1)");
		assertThat(refused("operator", phase + "/runs", "{\"mode\": \"apply\"}", 409))
			.containsExactly("Gate no-blockers fails: 1, needs at most 0.");
		execute(url, "DELETE FROM blockers");

		// an undo after the approval voids it, and the apply says so
		api("reviewer", HttpMethod.DELETE, decision + "?version=" + (open.version() + 1), null, 200);
		assertThat(refused("operator", phase + "/runs", "{\"mode\": \"apply\"}", 409))
			.contains("The approval by operator2 is void: the decisions changed after it.");

		// a newer dry run: approving the older one is a 409
		api("reviewer", HttpMethod.POST, decision,
				"{\"status\": \"excluded\", \"reason\": \"left the company\", \"version\": " + (open.version() + 2)
						+ "}",
				200);
		long second = runId(api("operator", HttpMethod.POST, phase + "/runs", "{\"mode\": \"dry-run\"}", 202));
		finished(SystemActor.call(() -> this.runs.get(second)));
		assertThat(refused("operator2", phase + "/approvals", "{\"runId\": " + first + "}", 409))
			.anySatisfy(reason -> assertThat(reason).contains("is not the latest"));

		// approved as it is now: the apply starts and writes the map
		api("operator2", HttpMethod.POST, phase + "/approvals", "{\"runId\": " + second + "}", 201);
		long apply = runId(api("operator", HttpMethod.POST, phase + "/runs", "{\"mode\": \"apply\"}", 202));
		assertThat(finished(SystemActor.call(() -> this.runs.get(apply))).state()).isEqualTo(RunState.SUCCEEDED);
		try (Connection c = DriverManager.getConnection(url, "sa", "");
				Statement s = c.createStatement();
				ResultSet rows = s.executeQuery("SELECT count(*) FROM people_map")) {
			assertThat(rows.next()).isTrue();
			assertThat(rows.getInt(1)).isEqualTo(1);
		}
	}

	/**
	 * A request the rules refuse: the status asked for, and nothing changed (no run, no
	 * approval, no audit entry); answers the reasons.
	 */
	private List<String> refused(String user, String path, String body, int expected) throws Exception {
		long head = auditHead();
		int runsBefore = SystemActor.call(() -> this.runs.ofPlan("rules", null, 50)).size();
		int approvalsBefore = SystemActor.call(() -> this.approvals.ofPhase("rules", "map", 50)).size();
		String answer = api(user, HttpMethod.POST, path, body, expected);
		assertThat(auditHead()).as("%s POST %s changed nothing", user, path).isEqualTo(head);
		assertThat(SystemActor.call(() -> this.runs.ofPlan("rules", null, 50))).hasSize(runsBefore);
		assertThat(SystemActor.call(() -> this.approvals.ofPhase("rules", "map", 50))).hasSize(approvalsBefore);
		List<String> reasons = new ArrayList<>();
		this.json.readTree(answer).path("reasons").forEach(reason -> reasons.add(reason.asString()));
		if (expected == 409) {
			assertThat(reasons).as("a 409 says why").isNotEmpty();
		}
		return reasons;
	}

	private String api(String user, HttpMethod method, String path, String body, int expected) throws Exception {
		MockHttpServletRequestBuilder request = request(method, path).with(httpBasic(user, FerryAppTest.DEMO_PASSWORD));
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).content(body);
		}
		MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
		String answer = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(response.getStatus()).as("%s %s %s: %s", user, method, path, answer).isEqualTo(expected);
		return answer;
	}

	private long runId(String answer) throws Exception {
		return this.json.readTree(answer).path("runId").asLong();
	}

	private static void execute(String url, String sql) throws Exception {
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute(sql);
		}
	}

	/** What one request answers a signed-in user, by status. */
	interface Answer {

		int status(String user) throws Exception;

	}

	/**
	 * Sends one request as every user: an allowed one gets past the role check, any other
	 * gets 403 and the audit log stays as it was.
	 */
	private void eachRole(String request, Set<String> allowed, Answer answer, List<String> checked) throws Exception {
		for (String user : USERS) {
			long head = auditHead();
			int status = answer.status(user);
			String what = user + " " + request + " → " + status;
			if (allowed.contains(user)) {
				assertThat(status).as(what).isNotIn(401, 403).isLessThan(500);
			}
			else {
				assertThat(status).as(what).isEqualTo(403);
				assertThat(auditHead()).as(what + " changed nothing").isEqualTo(head);
			}
			checked.add(what);
		}
	}

	private int perform(Endpoint endpoint, String user) throws Exception {
		MockHttpServletRequestBuilder request = request(endpoint.method(), endpoint.path());
		if (endpoint.contentType() != null) {
			request.contentType(endpoint.contentType()).content(endpoint.body());
		}
		if (user != null) {
			request.with(httpBasic(user, FerryAppTest.DEMO_PASSWORD));
		}
		return this.mvc.perform(request).andReturn().getResponse().getStatus();
	}

	private long auditHead() {
		return this.store.sql("SELECT seq FROM audit_head WHERE id = 1").query(Long.class).single();
	}

	private synchronized void fixture() throws Exception {
		if (SystemActor.call(() -> this.connections.exists("matrix"))) {
			return;
		}
		String url = "jdbc:h2:file:" + files.resolve("matrix").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			PeopleTables.create(s, "(1, 'Ann Lee'), (2, 'Dee Ox')", "(10, 'ann lee')");
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("matrix", url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, plan("matrix").getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
	}

	private static String plan(String title) {
		return """
				plan: matrix
				title: TITLE
				source: matrix
				target: matrix
				phases:
				  - id: schema
				    kind: sql
				    apply: CREATE TABLE matrix_things (id INTEGER)
				    rollback: DROP TABLE matrix_things
				MAP
				gates: []
				""".replace("MAP\n", PeopleTables.MAP_PHASE).replace("TITLE", title);
	}

	private RunView finished(RunView run) {
		return Await.finished(this.runs, run);
	}

}
