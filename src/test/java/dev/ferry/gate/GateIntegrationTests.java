package dev.ferry.gate;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Queue;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.PeopleTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every gate check on an H2 target of its own, measured as its phase's runs and decisions
 * go: not measured before a dry run; row counts after the dry run's projected rows,
 * within and beyond their tolerance; rejected rows, also as a warning; mapping coverage
 * and open items, measured again when a reviewer decides; SQL values, and a query that
 * fails; schema differences named; a JSON value over HTTP; a query's result against the
 * preflight's baseline, and after it changed.
 */
@FerryAppTest
class GateIntegrationTests {

	@TempDir
	static Path files;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	MappingService mappings;

	@Autowired
	GateService gates;

	@Autowired
	MockMvc mvc;

	HttpServer health;

	String url;

	@AfterEach
	void stopServer() {
		if (this.health != null) {
			this.health.stop(0);
		}
	}

	@Test
	void everyCheckIsMeasuredAsItsPhaseGoes() throws Exception {
		databasesAndPlan();

		Map<String, GateResult> load = byId(SystemActor.call(() -> this.gates.evaluate("gates", "load")));
		assertThat(load.values()).allSatisfy(gate -> {
			assertThat(gate.state()).isEqualTo(GateResult.State.NOT_MEASURED);
			assertThat(gate.detail()).contains("Phase load has no dry run yet");
		});
		assertThat(load.get("count-fixed").blocks()).as("an unmeasured error gate blocks").isTrue();
		assertThat(load.get("strict-rejects").blocks()).as("a warning never blocks").isFalse();

		RunView preflight = run("preflight");
		// the preflight took the baseline: the mapping phase's query-unchanged gate is
		// measured after its commit
		Await.until(() -> latest("map").get("listing-same").measuredAt() != null, "the baseline gate");
		assertThat(latest("map").get("listing-same").state()).isEqualTo(GateResult.State.PASS);
		assertThat(latest("map").get("listing-same").measuredOnRun()).isEqualTo(preflight.id());

		RunView dryRun = run("load");
		// measured before as not measured: wait for the evaluation on the dry run
		Await.until(
				() -> Long.valueOf(dryRun.id()).equals(latest("load").get("count-fixed").measuredOnRun())
						&& Long.valueOf(dryRun.id()).equals(latest("load").get("few-rejects").measuredOnRun()),
				"the load gates");
		load = latest("load");
		// 100 source rows, 3 rejected: 97 projected rows
		assertThat(load.get("count-src").state()).isEqualTo(GateResult.State.PASS);
		assertThat(load.get("count-src").value())
			.isEqualTo("97 rows after dry run #" + dryRun.id() + ", expected 100 (-3)");
		assertThat(load.get("count-src").threshold()).isEqualTo("within ±5% of source.items_src (±5)");
		assertThat(load.get("count-src").measuredOnRun()).isEqualTo(dryRun.id());
		assertThat(load.get("count-fixed").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(load.get("count-fixed").detail()).isEqualTo("3 rows off, 0 allowed.");
		assertThat(load.get("few-rejects").state()).isEqualTo(GateResult.State.PASS);
		assertThat(load.get("few-rejects").value()).isEqualTo("3 rejected");
		assertThat(load.get("strict-rejects").state()).isEqualTo(GateResult.State.WARN);
		assertThat(load.get("strict-rejects").blocks()).isFalse();

		RunView mapped = run("map");
		Await.until(() -> latest("map").get("coverage").measuredAt() != null, "the map gates");
		Map<String, GateResult> map = latest("map");
		assertThat(map.get("coverage").value()).isEqualTo("75.00% (3 of 4 mapped)");
		assertThat(map.get("coverage").state()).isEqualTo(GateResult.State.PASS);
		assertThat(map.get("coverage").measuredOnRun()).isEqualTo(mapped.id());
		assertThat(map.get("none-open").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(map.get("none-open").value()).isEqualTo("1 open (0 ambiguous, 1 unresolved, 0 conflict)");
		// the other checks are measured after the map's dry run too
		assertThat(map.get("new-count").state()).isEqualTo(GateResult.State.PASS);
		assertThat(map.get("new-count").value()).isEqualTo("3");
		assertThat(map.get("broken-sql").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(map.get("broken-sql").detail()).startsWith("The query failed on gates:").contains("NOWHERE");
		assertThat(map.get("schema").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(map.get("schema").value()).isEqualTo("2 difference(s)");
		assertThat(map.get("schema").detail()).contains("twin.V: NOT NULL on gates, nullable on gates-ref",
				"twin.EXTRA: only on gates-ref");
		assertThat(map.get("health").state()).isEqualTo(GateResult.State.PASS);
		assertThat(map.get("health").value()).isEqualTo("UP");
		assertThat(map.get("load-low").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(map.get("load-low").value()).isEqualTo("0.7");

		// a reviewer excludes the open item: the mapping gates are measured again
		MappingItem open = SystemActor.call(() -> this.mappings.items("gates", "map", Queue.UNRESOLVED, null, null, 5))
			.items()
			.get(0);
		SystemActor.call(() -> this.mappings.decide("gates", "map", open.oldKey(),
				new DecisionCommand(MatchStatus.EXCLUDED, null, "not a person", open.version())));
		Await.until(() -> latest("map").get("none-open").state() == GateResult.State.PASS, "none-open after it");
		assertThat(latest("map").get("coverage").value()).isEqualTo("100.00% (3 of 3 mapped)");

		// the listed query's result changes: the gate fails where it is measured again
		try (Connection c = DriverManager.getConnection(this.url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("UPDATE old_people SET name = 'Ann Lea' WHERE id = 1");
		}
		GateResult changed = byId(SystemActor.call(() -> this.gates.evaluate("gates", "map"))).get("listing-same");
		assertThat(changed.state()).isEqualTo(GateResult.State.FAIL);
		assertThat(changed.detail())
			.isEqualTo("The query's result differs from the one preflight #" + preflight.id() + " took.");

		this.mvc
			.perform(get("/api/v1/plans/gates/phases/load/gates").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].id").value("count-src"))
			.andExpect(jsonPath("$[0].state").value("pass"))
			.andExpect(jsonPath("$[0].measuredOnRun").value(dryRun.id()))
			.andExpect(jsonPath("$[1].state").value("fail"))
			.andExpect(jsonPath("$[3].state").value("warn"));
	}

	private void databasesAndPlan() throws Exception {
		this.health = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		this.health.createContext("/health", exchange -> {
			byte[] body = "{\"status\": \"UP\", \"load\": 0.7}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.health.start();
		this.url = "jdbc:h2:file:" + files.resolve("gates").toAbsolutePath();
		String reference = "jdbc:h2:file:" + files.resolve("gates-ref").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(this.url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items_src (id INTEGER PRIMARY KEY, name VARCHAR(40), qty VARCHAR(10))");
			s.execute("INSERT INTO items_src SELECT x, 'item ' || x, CASE WHEN MOD(x, 33) = 0 THEN 'x' ELSE "
					+ "CAST(x AS VARCHAR) END FROM SYSTEM_RANGE(1, 100)");
			s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(40), qty INTEGER)");
			PeopleTables.create(s);
			s.execute("CREATE TABLE twin (id INTEGER PRIMARY KEY, v VARCHAR(10) NOT NULL)");
			H2Login.grant(s);
		}
		try (Connection c = DriverManager.getConnection(reference, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE twin (id INTEGER PRIMARY KEY, v VARCHAR(10), extra INTEGER)");
			H2Login.grant(s);
		}
		String healthUrl = "http://localhost:" + this.health.getAddress().getPort() + "/health";
		try {
			save(healthUrl, reference);
		}
		catch (dev.ferry.plan.InvalidPlanException ex) {
			throw new AssertionError(ex.getCheck().errors().toString(), ex);
		}
	}

	private void save(String healthUrl, String reference) {
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("gates", this.url, H2Login.USER, H2Login.PASSWORD, false));
			this.connections
				.create(new ConnectionCommand("gates-ref", reference, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null,
					("""
							plan: gates
							source: gates
							target: gates
							phases:
							  - id: preflight
							    kind: preflight
							    count: [items_src]
							  - id: load
							    kind: import
							    query: SELECT id, name, qty FROM items_src
							    table: items
							    key: [id]
							    columns:
							      id: { type: integer }
							      name: {}
							      qty: { type: integer }
							    gates: [count-src, count-fixed, few-rejects, strict-rejects]
							MAP
							    gates: [coverage, none-open, new-count, broken-sql, schema, health, load-low, listing-same]
							gates:
							  - { id: count-src, check: row-count, table: target.items, expect: source.items_src, tolerance: 5% }
							  - { id: count-fixed, check: row-count, table: target.items, expect: 100, tolerance: 0 }
							  - { id: few-rejects, check: rejected-rows, max: 5 }
							  - { id: strict-rejects, check: rejected-rows, max: 0, level: warn }
							  - { id: coverage, check: mapping-coverage, at-least: 75% }
							  - { id: none-open, check: mapping-open, max: 0 }
							  - { id: new-count, check: sql, on: target, query: "SELECT count(*) FROM new_people", equals: 3 }
							  - { id: broken-sql, check: sql, on: target, query: "SELECT nope FROM nowhere", max: 1 }
							  - { id: schema, check: schema-matches, on: target, reference: gates-ref, tables: [twin] }
							  - { id: health, check: http, url: "HEALTH", pointer: /status, equals: UP }
							  - { id: load-low, check: http, url: "HEALTH", pointer: /load, max: 0.5 }
							  - { id: listing-same, check: query-unchanged, on: target, query: "SELECT id, name FROM old_people ORDER BY id" }
							"""
						.replace("MAP\n", PeopleTables.MAP_PHASE)).replace("HEALTH", healthUrl)
						.getBytes(StandardCharsets.UTF_8),
					PlanOrigin.API);
		});
	}

	private Map<String, GateResult> latest(String phase) {
		return byId(SystemActor.call(() -> this.gates.latest("gates", phase)));
	}

	private static Map<String, GateResult> byId(List<GateResult> results) {
		return results.stream()
			.collect(Collectors.toMap(GateResult::id, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
	}

	private RunView run(String phase) {
		RunView run = SystemActor.call(() -> this.runs.request("gates", phase, RunMode.DRY_RUN));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(run.id())).state().active(), "run #" + run.id());
		RunView done = SystemActor.call(() -> this.runs.get(run.id()));
		assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(RunState.SUCCEEDED);
		return done;
	}

}
