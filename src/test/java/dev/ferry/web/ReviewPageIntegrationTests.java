package dev.ferry.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.ferry.support.Await;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * The review page of a dry run (issue 21): the sql phase's statements in full with the
 * parsed-only badge on H2, a request for changes that locks approving and applying with
 * its reason (page and API alike) until a new dry run, which is then approved on the same
 * page, and comments, all in the audit log.
 */
@FerryAppTest
class ReviewPageIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-review");

	static final String PLAN = "/api/v1/plans/ahs-v2";

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient store;

	@Test
	void changesRequestedLockTheDryRunUntilANewOneIsApprovedOnTheSamePage() throws Exception {
		long first = run("schema", "dry-run");
		MockHttpSession owner = ConsoleSession.signIn(this.mvc, "owner");
		MockHttpSession operator2 = ConsoleSession.signIn(this.mvc, "operator2");

		String page = page(owner, first);
		assertThat(page).contains("Review of dry run #" + first + " · schema")
			.contains("Parsed only, not executed, on app")
			.contains("<span class=\"sql-keyword\">CREATE</span>")
			.contains("id=\"request-changes-form\"");
		// every statement in full, apply and rollback
		assertThat(page.replaceAll("<[^>]+>", "")).contains(
				"CREATE TABLE AhsListingV2 (id INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL,\n  hybridizer VARCHAR(100), year INTEGER, fragrant BOOLEAN);")
			.contains("DROP TABLE AhsListingV2Map;")
			.contains("DROP TABLE AhsListingV2;");
		// the demo plan asks for no owner sign-off: the owner is not offered Approve
		assertThat(page).doesNotContain("id=\"approve-form\"");

		post(owner, "/runs/" + first + "/review/request-changes", "The map table needs a confidence check.");
		String locked = page(owner, first);
		assertThat(locked).contains("owner")
			.contains("requested changes")
			.contains("The map table needs a confidence check.");
		assertThat(locked).doesNotContain("id=\"request-changes-form\"");
		JsonNode schema = phase("schema");
		assertThat(schema.path("actions").path("apply").path("allowed").asBoolean()).isFalse();
		assertThat(schema.path("actions").path("apply").path("reasons").toString())
			.contains("owner requested changes to dry run #" + first + ": “The map table needs a confidence check.”");
		call("operator2", HttpMethod.POST, PLAN + "/phases/schema/approvals", "{\"runId\": " + first + "}", 409);
		assertThat(page(operator2, first)).doesNotContain("id=\"approve-form\"")
			.contains("owner requested changes to dry run #" + first);

		// a comment from anyone, and the answer: a new dry run
		post(operator2, "/runs/" + first + "/review/comment", "Added the check; running again.");
		long second = run("schema", "dry-run");
		assertThat(page(owner, first)).contains("Dry run #" + second + " is newer");
		JsonNode stale = call("owner", HttpMethod.POST, PLAN + "/phases/schema/notes",
				"{\"runId\": " + first + ", \"kind\": \"changes-requested\", \"text\": \"again\"}", 409);
		assertThat(stale.path("error").asString()).contains("is not waiting for approval")
			.contains("dry run #" + second + " is the phase's latest");
		String fresh = page(operator2, second);
		assertThat(fresh).contains("id=\"approve-form\"").doesNotContain("requested changes to dry run #" + second);
		post(operator2, "/runs/" + second + "/review/approve", null);
		assertThat(page(operator2, second)).contains("Approved by operator2.").contains("Nothing holds the apply back");
		assertThat(phase("schema").path("state").asString()).isEqualTo("approved");
		run("schema", "apply");
		assertThat(phase("schema").path("state").asString()).isEqualTo("applied");

		JsonNode notes = call("viewer", HttpMethod.GET, PLAN + "/phases/schema/notes?runId=" + first, null, 200);
		assertThat(notes.findValuesAsString("kind")).containsExactly("changes-requested", "comment");
		assertThat(this.store
			.sql("SELECT action FROM audit_log WHERE action LIKE 'review.%' AND subject LIKE '%schema%' ORDER BY seq")
			.query(String.class)
			.list()).containsExactly("review.changes-requested", "review.comment");
	}

	@Test
	void aNoteNeedsWordsAndChangesCanBeRequestedOnlyOnTheDryRunAnApplyWouldUse() throws Exception {
		long dryRun = run("preflight", "dry-run");
		call("owner", HttpMethod.POST, PLAN + "/phases/preflight/notes",
				"{\"runId\": " + dryRun + ", \"kind\": \"comment\", \"text\": \"  \"}", 400);
		call("owner", HttpMethod.POST, PLAN + "/phases/preflight/notes",
				"{\"runId\": " + dryRun + ", \"kind\": \"shrug\", \"text\": \"hm\"}", 400);
		JsonNode refused = call("owner", HttpMethod.POST, PLAN + "/phases/preflight/notes",
				"{\"runId\": " + dryRun + ", \"kind\": \"changes-requested\", \"text\": \"no\"}", 409);
		assertThat(refused.path("error").asString())
			.contains("has no apply, so there is nothing to request changes to");
		call("reviewer", HttpMethod.POST, PLAN + "/phases/preflight/notes",
				"{\"runId\": " + dryRun + ", \"kind\": \"changes-requested\", \"text\": \"no\"}", 403);
		JsonNode comment = call("viewer", HttpMethod.POST, PLAN + "/phases/preflight/notes",
				"{\"runId\": " + dryRun + ", \"text\": \"Counts look right.\"}", 201);
		assertThat(comment.path("kind").asString()).isEqualTo("comment");
		assertThat(comment.path("author").asString()).isEqualTo("viewer");
	}

	private String page(MockHttpSession session, long runId) throws Exception {
		MockHttpServletResponse response = this.mvc.perform(get("/runs/" + runId + "/review").session(session))
			.andReturn()
			.getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		return response.getContentAsString(StandardCharsets.UTF_8);
	}

	private void post(MockHttpSession session, String path, String text) throws Exception {
		MockHttpServletRequestBuilder request = org.springframework.test.web.servlet.request.MockMvcRequestBuilders
			.post(path)
			.session(session)
			.with(csrf());
		if (text != null) {
			request.param("text", text);
		}
		MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
		assertThat(response.getStatus()).as(path).isEqualTo(302);
	}

	private JsonNode phase(String id) throws Exception {
		for (JsonNode phase : call("viewer", HttpMethod.GET, PLAN, null, 200).path("phases")) {
			if (phase.path("id").asString().equals(id)) {
				return phase;
			}
		}
		throw new AssertionError("no phase " + id);
	}

	/** Starts a run as operator and waits until it succeeded. */
	private long run(String phase, String mode) throws Exception {
		long id = call("operator", HttpMethod.POST, PLAN + "/phases/" + phase + "/runs", "{\"mode\": \"" + mode + "\"}",
				202)
			.path("runId")
			.asLong();
		Await.until(() -> {
			String state = call("operator", HttpMethod.GET, "/api/v1/runs/" + id, null, 200).path("state").asString();
			return !state.equals("queued") && !state.equals("running");
		}, "run #" + id);
		JsonNode done = call("operator", HttpMethod.GET, "/api/v1/runs/" + id, null, 200);
		assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("succeeded");
		return id;
	}

	private JsonNode call(String user, HttpMethod method, String path, String body, int expected) {
		try {
			MockHttpServletRequestBuilder request = request(method, path)
				.with(httpBasic(user, FerryAppTest.DEMO_PASSWORD));
			if (body != null) {
				request.contentType("application/json").content(body);
			}
			MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
			String text = response.getContentAsString(StandardCharsets.UTF_8);
			assertThat(response.getStatus()).as("%s %s %s: %s", user, method, path, text).isEqualTo(expected);
			return text.isBlank() ? this.json.createObjectNode() : this.json.readTree(text);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
