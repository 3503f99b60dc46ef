package dev.ferry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * The demo's whole migration driven as a pipeline would, through the API alone with API
 * tokens (each user makes theirs on the profile page, the one step in the browser):
 * connections, the plan, a dry run of every phase, the review of every open mapping item,
 * approvals by a second operator, every apply, a rollback, and the audit log verified at
 * the end with every change named by its token.
 */
@FerryAppTest
class PipelineApiIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-pipeline");

	static final String PLAN = "/api/v1/plans/ahs-pipeline";

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JsonMapper json;

	final Map<String, String> tokens = new HashMap<>();

	@Test
	void theDemoMigrationThroughTheApiWithTokens() throws Exception {
		for (String user : List.of("admin", "operator", "operator2", "reviewer")) {
			this.tokens.put(user, token(user));
		}

		// connections: the demo's source and target under names of the pipeline's own
		JsonNode demo = call("admin", HttpMethod.GET, "/api/v1/connections", null, 200);
		String source = null;
		String target = null;
		for (JsonNode connection : demo.path("items").isMissingNode() ? demo : demo.path("items")) {
			if (connection.path("name").asString().equals("cultivars")) {
				source = connection.path("jdbcUrl").asString();
			}
			if (connection.path("name").asString().equals("app")) {
				target = connection.path("jdbcUrl").asString();
			}
		}
		assertThat(source).isNotNull();
		assertThat(target).isNotNull();
		call("admin", HttpMethod.POST, "/api/v1/connections", "{\"name\": \"pipeline-source\", \"jdbcUrl\": \"" + source
				+ "\", \"username\": \"sa\", \"readOnly\": true}", 201);
		call("admin", HttpMethod.POST, "/api/v1/connections",
				"{\"name\": \"pipeline-target\", \"jdbcUrl\": \"" + target + "\", \"username\": \"sa\"}", 201);
		JsonNode tested = call("operator", HttpMethod.POST, "/api/v1/connections/pipeline-source/test", null, 200);
		assertThat(tested.path("ok").asBoolean()).as(tested.toString()).isTrue();

		// the plan: the demo's, on the pipeline's connections
		String yaml = Files.readString(Path.of("config/plans/ahs-v2.yaml"))
			.replace("plan: ahs-v2 ", "plan: ahs-pipeline ")
			.replace("source: cultivars ", "source: pipeline-source ")
			.replace("target: app ", "target: pipeline-target ");
		JsonNode saved = yaml(PLAN, yaml, 201);
		assertThat(saved.path("version").asInt()).isEqualTo(1);
		yaml(PLAN, yaml, 200);

		run("preflight", "dry-run");
		reviewedAndApplied("schema");
		long importDryRun = run("import", "dry-run");
		JsonNode changes = call("operator", HttpMethod.GET, "/api/v1/runs/" + importDryRun + "/changes?limit=2", null,
				200);
		assertThat(changes.path("items")).hasSize(2);
		JsonNode next = call("operator", HttpMethod.GET,
				"/api/v1/runs/" + importDryRun + "/changes?limit=2&after=" + changes.path("next").asString(), null,
				200);
		assertThat(next.path("items").get(0).path("key").toString())
			.isNotEqualTo(changes.path("items").get(0).path("key").toString());
		approveAndApply("import", importDryRun);

		// the mapping: the gates fail until a reviewer has decided every open item
		long mapDryRun = run("map", "dry-run");
		assertThat(gate("map", "coverage").path("passed").asBoolean()).isFalse();
		int decided = 0;
		decided += review("ambiguous", true);
		decided += review("unresolved", false);
		assertThat(decided).isEqualTo(580);
		assertThat(gate("map", "coverage").path("passed").asBoolean()).isTrue();
		assertThat(gate("map", "none-open").path("passed").asBoolean()).isTrue();
		long mapApply = approveAndApply("map", mapDryRun);
		JsonNode status = call("operator", HttpMethod.GET, PLAN, null, 200);
		assertThat(status.toString()).contains("\"map\"");

		// rolled back exactly; the map apply wrote more than 10,000 rows, so the request
		// names the plan, and is refused (409, with the reason) without it or with
		// another
		JsonNode written = call("operator", HttpMethod.GET, "/api/v1/runs/" + mapApply, null, 200).path("counts");
		assertThat(
				written.path("inserted").asLong() + written.path("updated").asLong() + written.path("deleted").asLong())
			.isGreaterThan(10_000);
		JsonNode map = null;
		for (JsonNode phase : call("operator", HttpMethod.GET, PLAN, null, 200).path("phases")) {
			map = phase.path("id").asString().equals("map") ? phase : map;
		}
		assertThat(map.path("rollbackNeedsConfirmPlan").asBoolean()).as("the plan says so beforehand").isTrue();
		String reason = "type its plan's id, ahs-pipeline.";
		assertThat(call("operator", HttpMethod.POST, "/api/v1/runs/" + mapApply + "/rollback", null, 409).toString())
			.contains(reason);
		assertThat(call("operator", HttpMethod.POST, "/api/v1/runs/" + mapApply + "/rollback",
				"{\"confirmPlan\": \"ahs-v2\"}", 409)
			.path("reasons")
			.toString()).contains(reason);
		assertThat(finished(mapApply).path("state").asString()).as("a refused rollback leaves the apply standing")
			.isEqualTo("succeeded");
		long rollback = call("operator", HttpMethod.POST, "/api/v1/runs/" + mapApply + "/rollback",
				"{\"confirmPlan\": \"ahs-pipeline\"}", 202)
			.path("runId")
			.asLong();
		assertThat(finished(rollback).path("state").asString()).isEqualTo("succeeded");
		assertThat(finished(mapApply).path("state").asString()).isEqualTo("rolled-back");

		// the audit log is whole, and names the tokens
		JsonNode verify = call("admin", HttpMethod.GET, "/api/v1/audit/verify", null, 200);
		assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
		JsonNode approvals = call("admin", HttpMethod.GET, "/api/v1/audit?action=approval.given&limit=10", null, 200);
		assertThat(approvals.path("items")).hasSize(3)
			.allSatisfy(entry -> assertThat(entry.path("via").asString()).isEqualTo("token pipeline-operator2"));
		JsonNode decisions = call("admin", HttpMethod.GET, "/api/v1/audit?actor=reviewer&limit=1", null, 200);
		assertThat(decisions.path("items").get(0).path("via").asString()).isEqualTo("token pipeline-reviewer");
	}

	/** Dry run, approval by operator2, apply by operator. */
	private void reviewedAndApplied(String phase) throws Exception {
		approveAndApply(phase, run(phase, "dry-run"));
	}

	private long approveAndApply(String phase, long dryRun) throws Exception {
		JsonNode locked = call("operator", HttpMethod.POST, PLAN + "/phases/" + phase + "/runs",
				"{\"mode\": \"apply\"}", 409);
		assertThat(locked.path("reasons").toString()).contains("needs 1 operator approval");
		JsonNode approval = call("operator2", HttpMethod.POST, PLAN + "/phases/" + phase + "/approvals",
				"{\"runId\": " + dryRun + ", \"comment\": \"pipeline\"}", 201);
		assertThat(approval.path("valid").asBoolean()).isTrue();
		long apply = run(phase, "apply");
		return apply;
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

	private JsonNode finished(long id) {
		JsonNode[] last = new JsonNode[1];
		Await.until(() -> {
			last[0] = quietly("operator", "/api/v1/runs/" + id);
			String state = last[0].path("state").asString();
			return !state.equals("queued") && !state.equals("running");
		}, "run #" + id);
		return quietly("operator", "/api/v1/runs/" + id);
	}

	/**
	 * Decides every open item of a queue page by page, as a reviewer's script would:
	 * ambiguous ones to their best candidate, unresolved ones excluded.
	 */
	private int review(String queue, boolean pick) throws Exception {
		int decided = 0;
		while (true) {
			JsonNode page = call("reviewer", HttpMethod.GET,
					PLAN + "/phases/map/mapping?status=" + queue + "&limit=100", null, 200);
			if (page.path("items").isEmpty()) {
				return decided;
			}
			for (JsonNode item : page.path("items")) {
				String body = pick
						? "{\"status\": \"manual\", \"newKey\": \""
								+ item.path("candidates").get(0).path("newKey").asString() + "\", \"version\": "
								+ item.path("version").asLong() + "}"
						: "{\"status\": \"excluded\", \"reason\": \"not in the new dataset\", \"version\": "
								+ item.path("version").asLong() + "}";
				call("reviewer", HttpMethod.POST,
						PLAN + "/phases/map/mapping/" + item.path("oldKey").asString() + "/decision", body, 200);
				decided++;
			}
		}
	}

	private JsonNode gate(String phase, String id) throws Exception {
		for (JsonNode gate : call("operator", HttpMethod.GET, PLAN + "/phases/" + phase + "/gates", null, 200)) {
			if (gate.path("id").asString().equals(id)) {
				return gate;
			}
		}
		throw new AssertionError("no gate " + id);
	}

	private JsonNode call(String user, HttpMethod method, String path, String body, int expected) throws Exception {
		MockHttpServletRequestBuilder request = request(method, path).header("Authorization",
				"Bearer " + this.tokens.get(user));
		if (body != null) {
			request.contentType("application/json").content(body);
		}
		return answer(request, expected, user + " " + method + " " + path);
	}

	private JsonNode yaml(String path, String text, int expected) throws Exception {
		return answer(request(HttpMethod.PUT, path).header("Authorization", "Bearer " + this.tokens.get("admin"))
			.contentType("application/yaml")
			.content(text), expected, "admin PUT " + path);
	}

	private JsonNode answer(MockHttpServletRequestBuilder request, int expected, String what) throws Exception {
		MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
		String text = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(response.getStatus()).as("%s: %s", what, text).isEqualTo(expected);
		return text.isBlank() ? this.json.createObjectNode() : this.json.readTree(text);
	}

	private JsonNode quietly(String user, String path) {
		try {
			return call(user, HttpMethod.GET, path, null, 200);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Makes the user's token on the profile page, the one step a person takes. */
	private String token(String user) throws Exception {
		return ConsoleSession.makeToken(this.mvc, ConsoleSession.signIn(this.mvc, user), "pipeline-" + user, 30);
	}

}
