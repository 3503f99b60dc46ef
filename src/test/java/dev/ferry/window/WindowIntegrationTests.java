package dev.ferry.window;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.ApiCalls;
import dev.ferry.support.Await;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.MovableClock;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * A plan with an apply window, on Ferry's clock moved by the test: outside the window an
 * apply is refused with when the next one opens, and the dashboard says so and offers to
 * schedule it; a scheduled apply can be cancelled, starts when the window opens as the
 * operator who asked, and is refused then, with the reasons kept, when a gate fails by
 * that time. A plan with a zone that does not exist is refused with its line and column
 * (the fixtures of {@code plans/invalid}).
 */
@FerryAppTest
@Import(MovableClock.class)
class WindowIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-window");

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
		// the test starts the due applies itself (WindowService.startDue, the task's
		// work)
		registry.add("ferry.windows.poll", () -> "1h");
	}

	@TempDir
	static Path files;

	@Autowired
	MockMvc mvc;

	@Autowired
	JsonMapper json;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	WindowService windows;

	@Autowired
	JdbcClient store;

	@AfterEach
	void clockBack() {
		MovableClock.AHEAD.set(Duration.ZERO);
	}

	@Test
	void anApplyOutsideItsWindowIsRefusedOrScheduledAndStartsWhenTheWindowOpens() throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("depot").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE source_items (code INTEGER PRIMARY KEY, label VARCHAR(40))");
			s.execute("CREATE TABLE items (code INTEGER PRIMARY KEY, label VARCHAR(40))");
			s.execute("CREATE TABLE flags (bad INTEGER)");
			s.execute("INSERT INTO source_items SELECT x, 'Item ' || x FROM SYSTEM_RANGE(1, 30)");
			H2Login.grant(s);
		}
		// one hour a day, opening three hours from now (UTC)
		Instant now = Instant.now();
		int hour = now.atZone(ZoneOffset.UTC).plusHours(3).getHour();
		String from = String.format(Locale.ROOT, "%02d:00", hour);
		String to = String.format(Locale.ROOT, "%02d:00", (hour + 1) % 24);
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("depot", url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null,
					("""
							plan: depot
							source: depot
							target: depot
							window:
							  zone: UTC
							  weekly:
							    - { days: [mon, tue, wed, thu, fri, sat, sun], from: "%s", to: "%s" }
							phases:
							  - id: import
							    kind: import
							    query: SELECT code, label FROM source_items
							    table: items
							    key: [code]
							    columns:
							      code:  { type: integer }
							      label: { required: true }
							    gates: [no-bad-flags]
							gates:
							  - { id: no-bad-flags, check: sql, on: target, query: SELECT count(*) FROM flags WHERE bad = 1, max: 0 }
							"""
						.formatted(from, to)).getBytes(StandardCharsets.UTF_8),
					PlanOrigin.API);
		});
		Instant opens = now.atZone(ZoneOffset.UTC).plusHours(3).truncatedTo(ChronoUnit.HOURS).toInstant();
		Actors.approved(this.runs, this.approvals, "depot", "import");

		// outside the window: refused with the next opening, and the dashboard says it
		JsonNode refused = call("operator", HttpMethod.POST, "/api/v1/plans/depot/phases/import/runs",
				"{\"mode\": \"apply\"}", 409);
		String opening = "the next window opens at " + ApplyWindowsText.at(opens);
		assertThat(refused.path("reasons").toString()).contains("Plan depot applies only in its window, ")
			.contains(opening);
		JsonNode window = call("viewer", HttpMethod.GET, "/api/v1/plans/depot/window", null, 200);
		assertThat(window.path("open").asBoolean()).isFalse();
		assertThat(window.path("opens").asString()).isEqualTo(opens.toString());
		String page = this.mvc.perform(get("/plans/depot").session(ConsoleSession.signIn(this.mvc, "operator")))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(page).contains("id=\"apply-window\"")
			.contains("Closed: the next window opens at " + ApplyWindowsText.at(opens) + ", in 2 h")
			.contains("id=\"schedule-import\"")
			.contains(opening);

		// scheduled, then cancelled: nothing starts
		JsonNode first = call("operator", HttpMethod.POST, "/api/v1/plans/depot/phases/import/scheduled-applies", null,
				201);
		assertThat(first.path("state").asString()).isEqualTo("waiting");
		assertThat(first.path("startsAt").asString()).isEqualTo(opens.toString());
		assertThat(call("operator", HttpMethod.POST, "/api/v1/plans/depot/phases/import/scheduled-applies", null, 409)
			.path("reasons")
			.toString()).contains("is already scheduled");
		call("viewer", HttpMethod.POST, "/api/v1/scheduled-applies/" + first.path("id").asLong() + "/cancel", null,
				403);
		assertThat(
				call("operator", HttpMethod.POST, "/api/v1/scheduled-applies/" + first.path("id").asLong() + "/cancel",
						null, 200)
					.path("state")
					.asString())
			.isEqualTo("cancelled");
		call("operator", HttpMethod.POST, "/api/v1/scheduled-applies/" + first.path("id").asLong() + "/cancel", null,
				409);

		// scheduled again; when the window opens it starts, as the operator who asked
		long second = call("operator", HttpMethod.POST, "/api/v1/plans/depot/phases/import/scheduled-applies", null,
				201)
			.path("id")
			.asLong();
		assertThat(SystemActor.call(() -> this.windows.startDue())).as("not yet due").isZero();
		MovableClock.AHEAD.set(Duration.between(now, opens.plusSeconds(60)));
		assertThat(SystemActor.call(() -> this.windows.startDue())).isOne();
		ScheduledApply started = scheduled(second);
		assertThat(started.state()).isEqualTo("started");
		RunView apply = Await.finished(this.runs, SystemActor.call(() -> this.runs.get(started.runId())));
		assertThat(apply.state()).as(apply.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(apply.requestedBy()).isEqualTo("operator");
		assertThat(apply.counts().inserted()).isEqualTo(30);
		assertThat(scheduled(first.path("id").asLong()).state()).as("the cancelled one stays cancelled")
			.isEqualTo("cancelled");
		assertThat(SystemActor.call(() -> this.windows.startDue())).as("started once").isZero();
		assertThat(this.store.sql("SELECT count(*) FROM scheduled_tasks WHERE task_name = 'ferry-window-starts'")
			.query(Long.class)
			.single()).as("the recurring task that starts them").isOne();

		// the gates are checked again when it starts: a failing one refuses it, kept
		RunView rollback = Await.finished(this.runs, SystemActor.call(() -> this.runs.rollback(apply.id())));
		assertThat(rollback.state()).as(rollback.error()).isEqualTo(RunState.SUCCEEDED);
		MovableClock.AHEAD.set(Duration.ZERO);
		Actors.approved(this.runs, this.approvals, "depot", "import");
		long third = call("operator", HttpMethod.POST, "/api/v1/plans/depot/phases/import/scheduled-applies", null, 201)
			.path("id")
			.asLong();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("INSERT INTO flags VALUES (1)");
		}
		MovableClock.AHEAD.set(Duration.between(now, opens.plusSeconds(60)));
		int runsBefore = SystemActor.call(() -> this.runs.ofPlan("depot", null, 100)).size();
		assertThat(SystemActor.call(() -> this.windows.startDue())).isZero();
		ScheduledApply refusedAtStart = scheduled(third);
		assertThat(refusedAtStart.state()).isEqualTo("refused");
		assertThat(refusedAtStart.detail()).startsWith("The apply was refused when the window opened: ")
			.contains("Gate no-bad-flags fails");
		assertThat(SystemActor.call(() -> this.runs.ofPlan("depot", null, 100))).hasSize(runsBefore);

		// scheduling, cancelling and a refusal at the window are in the audit log
		JsonNode audit = call("admin", HttpMethod.GET, "/api/v1/audit?limit=200", null, 200);
		assertThat(audit.path("items").toString()).contains("apply.scheduled", "apply.cancelled", "apply.refused")
			.contains("depot/import scheduled apply #" + third)
			.contains("Gate no-bad-flags fails");
	}

	private ScheduledApply scheduled(long id) {
		return SystemActor.call(() -> this.windows.scheduled("depot", 100))
			.stream()
			.filter(candidate -> candidate.id() == id)
			.findFirst()
			.orElseThrow();
	}

	private JsonNode call(String user, HttpMethod method, String path, String body, int expected) throws Exception {
		return new ApiCalls(this.mvc, this.json).call(user, method, path, body, expected);
	}

	/** How the refusal writes an instant: in the window's zone, to the minute. */
	static final class ApplyWindowsText {

		static String at(Instant instant) {
			return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
				.format(instant.atZone(ZoneOffset.UTC)) + " UTC";
		}

	}

}
