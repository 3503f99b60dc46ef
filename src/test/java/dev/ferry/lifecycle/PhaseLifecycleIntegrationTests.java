package dev.ferry.lifecycle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.ferry.support.ApiCalls;
import dev.ferry.support.Await;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * The lifecycle of the demo plan's phases through the API, as issue 19 tells it: a dry
 * run whose table does not exist yet is refused before anyone asks, an applied phase
 * cannot be applied again (and a refused apply leaves the phases after it unlocked), a
 * plan edit voids only the phases it changes, and an approval authorizes one apply: after
 * a rollback a new dry run and a new approval are needed.
 */
@FerryAppTest
class PhaseLifecycleIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-lifecycle");

	static final String PLAN = "/api/v1/plans/ahs-v2";

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JsonMapper json;

	@Test
	void theDemoPlansPhasesFollowOneLifecycle() throws Exception {
		// before the schema exists, the import's dry run is refused, and the API says so
		// first
		JsonNode importPhase = phase("import");
		assertThat(importPhase.path("state").asString()).isEqualTo("not-run");
		assertThat(importPhase.path("actions").path("dryRun").path("allowed").asBoolean()).isFalse();
		assertThat(importPhase.path("actions").path("dryRun").path("reasons").toString())
			.contains("Table AhsListingV2 is created by phase schema, not applied yet.");
		JsonNode refused = call("operator", HttpMethod.POST, PLAN + "/phases/import/runs", "{\"mode\": \"dry-run\"}",
				409);
		assertThat(refused.path("reasons").toString())
			.contains("Table AhsListingV2 is created by phase schema, not applied yet.");
		assertThat(call("operator", HttpMethod.GET, "/api/v1/plans/ahs-v2/runs", null, 200).toString())
			.doesNotContain("\"import\"");

		// schema: dry run, approval by another operator, apply
		long schemaDryRun = run("schema", "dry-run");
		assertThat(phase("schema").path("state").asString()).isEqualTo("dry-run-ready");
		approve("schema", schemaDryRun);
		assertThat(phase("schema").path("state").asString()).isEqualTo("approved");
		assertThat(phase("schema").path("canApply").asBoolean()).isTrue();
		long schemaApply = run("schema", "apply");
		JsonNode schema = phase("schema");
		assertThat(schema.path("state").asString()).isEqualTo("applied");
		assertThat(schema.path("standingApply").asLong()).isEqualTo(schemaApply);
		assertThat(schema.path("canApply").asBoolean()).isFalse();
		String stands = "Apply #" + schemaApply + " of phase schema stands; roll it back first.";
		assertThat(schema.path("lockedReasons").toString()).contains(stands);
		assertThat(schema.path("actions").path("rollback").path("allowed").asBoolean()).isTrue();

		// a second apply is refused with the standing apply named; nothing runs, import
		// stays open
		int runsBefore = runs().size();
		JsonNode again = call("operator", HttpMethod.POST, PLAN + "/phases/schema/runs", "{\"mode\": \"apply\"}", 409);
		assertThat(again.path("reasons").toString()).contains(stands);
		assertThat(runs()).hasSize(runsBefore);
		assertThat(phase("schema").path("state").asString()).isEqualTo("applied");
		assertThat(phase("import").path("actions").path("dryRun").path("allowed").asBoolean()).isTrue();

		// the import: dry run and approval, so that an edit has something to void
		long preflight = run("preflight", "dry-run");
		assertThat(phase("preflight").path("detail").asString()).as("a preflight has no apply to approve")
			.isEqualTo(
					"Dry run #" + preflight + " succeeded: its measurements are the baseline the gates compare with.");
		long importDryRun = run("import", "dry-run");
		approve("import", importDryRun);
		assertThat(phase("import").path("state").asString()).isEqualTo("approved");

		// an edit of the import's batch-size only: schema keeps its apply and state; the
		// import and every phase after it lose what they had, and the answer says what
		String yaml = Files.readString(Path.of("config/plans/ahs-v2.yaml"));
		assertThat(yaml).contains("batch-size: 5000");
		String edited = yaml.replace("batch-size: 5000", "batch-size: 4000");
		// the editor says it before the save, as the admin types
		String preview = this.mvc
			.perform(post("/plans/validate").session(ConsoleSession.signIn(this.mvc, "admin"))
				.with(csrf())
				.header("HX-Request", "true")
				.param("yaml", edited))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(preview).contains("id=\"save-effects\"")
			.contains("Saving voids 1 dry run, 1 approval and ")
			.contains("of phases import, map, verify; preflight, schema keep their state.");
		MockHttpServletResponse saved = this.mvc
			.perform(request(HttpMethod.PUT, PLAN).with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(edited))
			.andReturn()
			.getResponse();
		assertThat(saved.getStatus()).isEqualTo(201);
		JsonNode voided = this.json.readTree(saved.getContentAsString(StandardCharsets.UTF_8)).path("voided");
		assertThat(voided.path("phases").toString()).isEqualTo("[\"import\",\"map\",\"verify\"]");
		assertThat(voided.path("keptPhases").toString()).isEqualTo("[\"preflight\",\"schema\"]");
		assertThat(voided.path("counts").path("dry run").asInt()).isEqualTo(1);
		assertThat(voided.path("counts").path("approval").asInt()).isEqualTo(1);
		assertThat(voided.path("summary").asString()).startsWith("Saving voids 1 dry run, 1 approval and ")
			.endsWith(" of phases import, map, verify; preflight, schema keep their state.");
		schema = phase("schema");
		assertThat(schema.path("state").asString()).isEqualTo("applied");
		assertThat(schema.path("standingApply").asLong()).isEqualTo(schemaApply);
		assertThat(schema.path("definedInVersion").asInt()).isEqualTo(1);
		assertThat(schema.path("approvals")).hasSize(1);
		importPhase = phase("import");
		assertThat(importPhase.path("state").asString()).isEqualTo("not-run");
		assertThat(importPhase.path("definedInVersion").asInt()).isEqualTo(2);
		assertThat(importPhase.path("detail").asString())
			.isEqualTo("Version 2 changed the phase: dry run #" + importDryRun + " and its approvals are void.");
		assertThat(importPhase.path("gates").findValuesAsString("state")).containsOnly("not-measured");
		assertThat(phase("preflight").path("state").asString()).isEqualTo("dry-run-ready");

		// a rollback spends the approval: applying again needs a new dry run and approval
		long rollback = call("operator", HttpMethod.POST, "/api/v1/runs/" + schemaApply + "/rollback", null, 202)
			.path("runId")
			.asLong();
		assertThat(finished(rollback).path("state").asString()).isEqualTo("succeeded");
		schema = phase("schema");
		assertThat(schema.path("state").asString()).isEqualTo("rolled-back");
		assertThat(schema.path("actions").path("rollback").path("allowed").asBoolean()).isFalse();
		String spent = "The apply of phase schema was rolled back (rollback #" + rollback
				+ "), and the approval it used was spent: run a new dry run and have it approved.";
		assertThat(schema.path("lockedReasons").toString()).contains(spent);
		assertThat(call("operator", HttpMethod.POST, PLAN + "/phases/schema/runs", "{\"mode\": \"apply\"}", 409)
			.path("reasons")
			.toString()).contains(spent);
		assertThat(schema.path("approvals").get(0).path("valid").asBoolean()).isFalse();
		assertThat(phase("import").path("actions").path("dryRun").path("reasons").toString())
			.contains("Table AhsListingV2 is created by phase schema, not applied yet.");
		long second = run("schema", "dry-run");
		approve("schema", second);
		long reapplied = run("schema", "apply");
		assertThat(phase("schema").path("standingApply").asLong()).isEqualTo(reapplied);

		// every transition is in the audit log
		JsonNode audit = call("admin", HttpMethod.GET, "/api/v1/audit?action=phase.apply-requested&limit=10", null,
				200);
		assertThat(audit.path("items")).hasSize(2);
	}

	private JsonNode phase(String id) throws Exception {
		for (JsonNode phase : call("viewer", HttpMethod.GET, PLAN, null, 200).path("phases")) {
			if (phase.path("id").asString().equals(id)) {
				return phase;
			}
		}
		throw new AssertionError("no phase " + id);
	}

	private JsonNode runs() throws Exception {
		JsonNode page = call("viewer", HttpMethod.GET, "/api/v1/plans/ahs-v2/runs?limit=200", null, 200);
		return page.has("items") ? page.path("items") : page;
	}

	private void approve(String phase, long dryRun) throws Exception {
		JsonNode approval = call("operator2", HttpMethod.POST, PLAN + "/phases/" + phase + "/approvals",
				"{\"runId\": " + dryRun + "}", 201);
		assertThat(approval.path("valid").asBoolean()).isTrue();
	}

	/** Starts a run as operator and waits until it succeeded. */
	private long run(String phase, String mode) throws Exception {
		long id = call("operator", HttpMethod.POST, PLAN + "/phases/" + phase + "/runs", "{\"mode\": \"" + mode + "\"}",
				202)
			.path("runId")
			.asLong();
		JsonNode done = finished(id);
		assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("succeeded");
		return id;
	}

	private JsonNode finished(long id) throws Exception {
		Await.until(() -> {
			String state = quietly("/api/v1/runs/" + id).path("state").asString();
			return !state.equals("queued") && !state.equals("running");
		}, "run #" + id);
		return call("operator", HttpMethod.GET, "/api/v1/runs/" + id, null, 200);
	}

	private JsonNode quietly(String path) {
		try {
			return call("operator", HttpMethod.GET, path, null, 200);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode call(String user, HttpMethod method, String path, String body, int expected) throws Exception {
		return new ApiCalls(this.mvc, this.json).call(user, method, path, body, expected);
	}

}
