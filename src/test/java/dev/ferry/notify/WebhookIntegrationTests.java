package dev.ferry.notify;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.ReviewService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.ApiCalls;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.MovableClock;
import dev.ferry.support.Workspaces;
import dev.ferry.window.WindowService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * Webhooks against a receiver of the test's own: every kind of event reaches a webhook
 * once, signed with its secret, as Ferry's JSON; a Slack-format webhook filtered to one
 * plan and one event gets only that, as a Slack message; a receiver that fails twice gets
 * the delivery at the third attempt, after the back-off on Ferry's clock; a host not on
 * the allow-list is refused when the webhook is saved, and only an admin saves one.
 */
@FerryAppTest
@Import(MovableClock.class)
class WebhookIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-webhooks");

	static final Path FILES = Workspaces.temporaryFolder("ferry-webhooks-dbs");

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
		registry.add("ferry.http-checks.allowed-hosts", () -> "localhost");
		// the test sends the due deliveries itself (WebhookService.deliverDue, the task's
		// work) and starts the due scheduled applies itself
		registry.add("ferry.webhooks.poll", () -> "1h");
		registry.add("ferry.windows.poll", () -> "1h");
		registry.add("ferry.public-url", () -> "https://ferry.example.com");
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JsonMapper json;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	ReviewService reviews;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	WindowService windows;

	@Autowired
	WebhookService webhooks;

	@Autowired
	JdbcClient store;

	HttpServer receiver;

	/** What the receiver got, per path. */
	final Map<String, List<Received>> received = new ConcurrentHashMap<>();

	/** How many more requests to a path the receiver answers 500. */
	final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

	record Received(Map<String, String> headers, String body) {

		String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

	@AfterEach
	void stop() {
		MovableClock.AHEAD.set(Duration.ZERO);
		if (this.receiver != null) {
			this.receiver.stop(0);
		}
	}

	@Test
	void eachEventReachesItsWebhooksOnceSignedAndAFailingReceiverGetsItAtTheThirdTry() throws Exception {
		startReceiver();
		String base = "http://localhost:" + this.receiver.getAddress().getPort();

		// saving: only an admin, only to an allowed host, never without a secret
		call("operator", HttpMethod.POST, "/api/v1/webhooks", hook("all", base + "/all", "ferry", "[]", null, "s1"),
				403);
		JsonNode refused = call("admin", HttpMethod.POST, "/api/v1/webhooks",
				hook("elsewhere", "https://hooks.example.org/ferry", "ferry", "[]", null, "s1"), 400);
		assertThat(refused.toString()).contains("Host 'hooks.example.org' is not allowed for webhooks")
			.contains("allowed: localhost");
		assertThat(call("admin", HttpMethod.POST, "/api/v1/webhooks",
				hook("unsigned", base + "/all", "ferry", "[]", null, ""), 400)
			.toString()).contains("A webhook needs a secret");
		assertThat(call("admin", HttpMethod.POST, "/api/v1/webhooks",
				hook("typo", base + "/all", "ferry", "[\"run.failled\"]", null, "s1"), 400)
			.toString()).contains("No event run.failled");
		JsonNode all = call("admin", HttpMethod.POST, "/api/v1/webhooks",
				hook("all", base + "/all", "ferry", "[]", null, "all-secret"), 201);
		assertThat(all.path("hasSecret").asBoolean()).isTrue();
		assertThat(all.toString()).doesNotContain("all-secret");
		assertThat(this.store.sql("SELECT secret FROM webhooks WHERE name = 'all'").query(String.class).single())
			.as("sealed at rest")
			.startsWith("v1:")
			.doesNotContain("all-secret");
		call("admin", HttpMethod.POST, "/api/v1/webhooks",
				hook("chat", base + "/chat", "slack", "[\"run.failed\"]", "\"broken\"", "chat-secret"), 201);

		// the events, each from what really happens
		String url = "jdbc:h2:file:" + FILES.resolve("wharf").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE source_items (code INTEGER PRIMARY KEY, label VARCHAR(40))");
			s.execute("CREATE TABLE items (code INTEGER PRIMARY KEY, label VARCHAR(40))");
			s.execute("CREATE TABLE flags (bad INTEGER)");
			s.execute("INSERT INTO source_items SELECT x, 'Item ' || x FROM SYSTEM_RANGE(1, 20)");
			s.execute("INSERT INTO flags VALUES (1)");
			H2Login.grant(s);
		}
		Instant now = Instant.now();
		int hour = now.atZone(ZoneOffset.UTC).plusHours(3).getHour();
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("wharf", url, H2Login.USER, H2Login.PASSWORD, false));
			save("""
					plan: wharf
					source: wharf
					target: wharf
					phases:
					  - id: load
					    kind: import
					    query: SELECT code, label FROM source_items
					    table: items
					    key: [code]
					    columns:
					      code:  { type: integer }
					      label: { required: true }
					    gates: [no-flags]
					  - id: check
					    kind: verify
					    gates: [at-most-ten]
					    on-fail: rollback
					gates:
					  - { id: no-flags, check: sql, on: target, query: SELECT count(*) FROM flags WHERE bad = 1, max: 0 }
					  - { id: at-most-ten, check: sql, on: target, query: SELECT count(*) FROM items, max: 10 }
					""");
			save("""
					plan: broken
					source: wharf
					target: wharf
					phases:
					  - id: load
					    kind: import
					    query: SELECT code, label FROM source_items WHERE code > 100 / (SELECT count(*) FROM flags)
					    table: items
					    key: [code]
					    columns:
					      code:  { type: integer }
					      label: { required: true }
					""");
			save(("""
					plan: later
					source: wharf
					target: wharf
					window:
					  zone: UTC
					  weekly:
					    - { days: [mon, tue, wed, thu, fri, sat, sun], from: "%02d:00", to: "%02d:59" }
					phases:
					  - id: load
					    kind: import
					    query: SELECT code + 100 AS code, label FROM source_items
					    table: items
					    key: [code]
					    columns:
					      code:  { type: integer }
					      label: { required: true }
					""").formatted(hour, hour));
		});
		// gate.failed: the flag is up when the dry run ends
		RunView gated = dryRun("wharf", "load");
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("DELETE FROM flags");
		}
		// approval.needed, then approval.rejected
		RunView rejected = dryRun("wharf", "load");
		await("approval.needed:" + rejected.id());
		Actors.as("operator2", Role.OPERATOR,
				() -> this.reviews.requestChanges("wharf", "load", rejected.id(), "Labels need a prefix."));
		// approval.needed, approval.given, apply.succeeded; the verify fails (20 rows,
		// at most 10): verify.failed, and rollback.succeeded
		RunView approved = dryRun("wharf", "load");
		await("approval.needed:" + approved.id());
		Actors.approve(this.approvals, "wharf", "load", approved.id());
		RunView apply = Await.finished(this.runs,
				SystemActor.call(() -> this.runs.request("wharf", "load", RunMode.APPLY)));
		assertThat(apply.state()).as(apply.error()).isEqualTo(RunState.SUCCEEDED);
		// run.failed: division by zero in the broken plan's query (no flags any more)
		RunView failed = Await.finished(this.runs,
				SystemActor.call(() -> this.runs.request("broken", "load", RunMode.DRY_RUN)));
		assertThat(failed.state()).isEqualTo(RunState.FAILED);
		// window.opened: an apply scheduled for the next window starts when it opens
		Actors.approved(this.runs, this.approvals, "later", "load");
		long scheduled = Actors.as("operator", Role.OPERATOR, () -> this.windows.schedule("later", "load")).id();
		MovableClock.AHEAD.set(Duration.between(now,
				now.atZone(ZoneOffset.UTC).plusHours(3).truncatedTo(ChronoUnit.HOURS).toInstant().plusSeconds(60)));
		assertThat(SystemActor.call(() -> this.windows.startDue())).isOne();
		long laterApply = SystemActor.call(() -> this.windows.scheduled("later", 5)).get(0).runId();
		assertThat(Await.finished(this.runs, SystemActor.call(() -> this.runs.get(laterApply))).state())
			.isEqualTo(RunState.SUCCEEDED);
		await("apply.succeeded:" + laterApply);

		Await.until(() -> deliveries("all").containsAll(List.of("gate.failed:" + gated.id(), "approval.rejected",
				"approval.given", "apply.succeeded:" + apply.id(), "verify.failed", "rollback.succeeded",
				"run.failed:" + failed.id(), "window.opened:" + scheduled)), "the deliveries of every event");
		Await.until(() -> {
			SystemActor.call(() -> this.webhooks.deliverDue());
			return this.store.sql("SELECT count(*) FROM webhook_deliveries WHERE state = 'pending' AND webhook_id = ?")
				.param(all.path("id").asLong())
				.query(Long.class)
				.single() == 0;
		}, "every delivery sent");

		List<Received> got = this.received.get("/all");
		Map<String, Long> perKey = got.stream()
			.collect(Collectors.groupingBy(r -> this.json.readTree(r.body()).path("key").asString(),
					Collectors.counting()));
		assertThat(perKey.values()).as("each event once: %s", perKey.keySet()).allMatch(count -> count == 1);
		assertThat(got.stream().map(r -> r.header("X-Ferry-Event")).collect(Collectors.toSet()))
			.containsExactlyInAnyOrder("gate.failed", "approval.needed", "approval.rejected", "approval.given",
					"apply.succeeded", "verify.failed", "rollback.succeeded", "run.failed", "window.opened");
		for (Received one : got) {
			assertThat(one.header("X-Ferry-Signature")).as(one.body())
				.isEqualTo("sha256=" + hmac("all-secret", one.header("X-Ferry-Timestamp") + "." + one.body()));
		}
		JsonNode gateFailed = body(got, "gate.failed");
		assertThat(gateFailed.path("summary").asString()).isEqualTo("Dry run #" + gated.id()
				+ " of wharf · load cannot be approved: Gate no-flags fails: 1, needs at most 0.");
		assertThat(gateFailed.path("link").asString()).isEqualTo("https://ferry.example.com/runs/" + gated.id());
		assertThat(body(got, "apply.succeeded").path("summary").asString()).isEqualTo(
				"Apply #" + apply.id() + " of wharf · load succeeded: 20 inserted, 0 updated, 0 deleted, 0 rejected.");
		assertThat(body(got, "approval.rejected").path("summary").asString()).isEqualTo(
				"operator2 asked for changes to dry run #" + rejected.id() + " of wharf · load: Labels need a prefix.");
		assertThat(body(got, "window.opened").path("summary").asString())
			.startsWith("The window of later opened: the apply of load scheduled by operator started");

		// the Slack-format webhook: only the broken plan's failed run, as a message
		List<Received> chat = this.received.get("/chat");
		assertThat(chat).hasSize(1);
		assertThat(this.json.readTree(chat.get(0).body()).path("text").asString())
			.startsWith("*Ferry* · run.failed: Dry run #" + failed.id() + " of broken · load failed: ")
			.endsWith(" <https://ferry.example.com/runs/" + failed.id() + "|Open in Ferry>");
		assertThat(chat.get(0).header("X-Ferry-Signature")).isEqualTo(
				"sha256=" + hmac("chat-secret", chat.get(0).header("X-Ferry-Timestamp") + "." + chat.get(0).body()));

		// a receiver that fails twice gets it on the third try, after 30 s and 60 s
		long flaky = call("admin", HttpMethod.POST, "/api/v1/webhooks",
				hook("flaky", base + "/flaky", "ferry", "[\"approval.given\"]", "\"nothing\"", "f-secret"), 201)
			.path("id")
			.asLong();
		this.failures.put("/flaky", new AtomicInteger(2));
		long ping = call("admin", HttpMethod.POST, "/api/v1/webhooks/" + flaky + "/ping", null, 202).path("id")
			.asLong();
		assertThat(SystemActor.call(() -> this.webhooks.deliverDue())).isOne();
		assertThat(delivery(ping).path("state").asString()).isEqualTo("pending");
		assertThat(delivery(ping).path("lastStatus").asInt()).isEqualTo(500);
		assertThat(SystemActor.call(() -> this.webhooks.deliverDue())).as("not due before its back-off").isZero();
		MovableClock.AHEAD.set(MovableClock.AHEAD.get().plusSeconds(31));
		assertThat(SystemActor.call(() -> this.webhooks.deliverDue())).isOne();
		assertThat(delivery(ping).path("attempts").asInt()).isEqualTo(2);
		MovableClock.AHEAD.set(MovableClock.AHEAD.get().plusSeconds(31));
		assertThat(SystemActor.call(() -> this.webhooks.deliverDue())).as("the second wait is 60 s").isZero();
		MovableClock.AHEAD.set(MovableClock.AHEAD.get().plusSeconds(30));
		assertThat(SystemActor.call(() -> this.webhooks.deliverDue())).isOne();
		JsonNode delivered = delivery(ping);
		assertThat(delivered.path("state").asString()).isEqualTo("delivered");
		assertThat(delivered.path("attempts").asInt()).isEqualTo(3);
		List<Received> flakyGot = this.received.get("/flaky");
		assertThat(flakyGot).hasSize(3).extracting(r -> r.header("X-Ferry-Delivery")).containsOnly(Long.toString(ping));
		assertThat(this.json.readTree(flakyGot.get(2).body()).path("event").asString()).isEqualTo("ping");
	}

	private void save(String yaml) {
		this.plans.save(null, yaml.getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
	}

	private RunView dryRun(String plan, String phase) {
		RunView run = Await.finished(this.runs,
				SystemActor.call(() -> this.runs.request(plan, phase, RunMode.DRY_RUN)));
		assertThat(run.state()).as(run.error()).isEqualTo(RunState.SUCCEEDED);
		return run;
	}

	private void await(String key) {
		Await.until(() -> deliveries("all").contains(key), key);
	}

	/** The event keys of a webhook's deliveries, and their event names. */
	private List<String> deliveries(String webhook) {
		return this.store.sql("""
				SELECT d.event_key, d.event FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
				WHERE w.name = ?
				""")
			.param(webhook)
			.query((rs, row) -> List.of(rs.getString(1), rs.getString(2)))
			.list()
			.stream()
			.flatMap(List::stream)
			.toList();
	}

	private JsonNode delivery(long id) throws Exception {
		JsonNode list = call("admin", HttpMethod.GET, "/api/v1/webhook-deliveries?limit=5", null, 200);
		for (JsonNode one : list) {
			if (one.path("id").asLong() == id) {
				return one;
			}
		}
		throw new AssertionError("No delivery " + id + " in " + list);
	}

	private JsonNode body(List<Received> got, String event) {
		return got.stream()
			.filter(r -> event.equals(r.header("X-Ferry-Event")))
			.map(r -> this.json.readTree(r.body()))
			.findFirst()
			.orElseThrow();
	}

	private static String hook(String name, String url, String format, String events, String plan, String secret) {
		return """
				{"name": "%s", "url": "%s", "format": "%s", "events": %s, "plan": %s, "secret": "%s", "enabled": true}
				""".formatted(name, url, format, events, plan, secret);
	}

	private static String hmac(String secret, String text) throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
	}

	private void startReceiver() throws IOException {
		this.receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		this.receiver.createContext("/", exchange -> {
			String path = exchange.getRequestURI().getPath();
			Map<String, String> headers = new ConcurrentHashMap<>();
			exchange.getRequestHeaders()
				.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.received.computeIfAbsent(path, key -> new CopyOnWriteArrayList<>()).add(new Received(headers, body));
			AtomicInteger failing = this.failures.get(path);
			int status = (failing != null && failing.getAndDecrement() > 0) ? 500 : 204;
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		this.receiver.start();
	}

	private JsonNode call(String user, HttpMethod method, String path, String body, int expected) throws Exception {
		return new ApiCalls(this.mvc, this.json).call(user, method, path, body, expected);
	}

}
