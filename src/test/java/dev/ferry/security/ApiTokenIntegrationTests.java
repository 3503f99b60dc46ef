package dev.ferry.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * API tokens made on the profile page: shown once and stored only as a hash, acting with
 * the user's roles, named in the audit log when they change something, and refused with
 * 401 the moment they are revoked, expire, or their user is disabled.
 */
@FerryAppTest
class ApiTokenIntegrationTests {

	@TempDir
	static Path files;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient store;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	AccountService accounts;

	@Test
	void aTokenActsAsItsUserUntilRevoked() throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("tokens").toAbsolutePath();
		H2Login.grant(url);
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("tokens", url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, """
					plan: tokens
					source: tokens
					target: tokens
					phases:
					  - id: schema
					    kind: sql
					    apply: CREATE TABLE token_things (id INTEGER)
					    rollback: DROP TABLE token_things
					gates: []
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		MockHttpSession console = ConsoleSession.signIn(this.mvc, "operator");
		String token = make(console, "ci-pipeline", 90);

		// shown once: only its sha256 is kept, and the profile does not show it again
		assertThat(this.store.sql("SELECT count(*) FROM api_tokens WHERE token_sha256 = ? OR prefix = ?")
			.params(token, token)
			.query(Long.class)
			.single()).isZero();
		assertThat(
				this.store.sql("SELECT prefix FROM api_tokens WHERE name = 'ci-pipeline'").query(String.class).single())
			.isEqualTo(token.substring(0, 12));
		String profile = this.mvc.perform(get("/profile").session(console))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(profile).contains("ci-pipeline", token.substring(0, 12) + "…").doesNotContain(token);

		// it reads and changes as operator, and the audit log names it
		this.mvc.perform(bearer(get("/api/v1/plans/tokens"), token))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.plan").value("tokens"));
		this.mvc
			.perform(bearer(post("/api/v1/plans/tokens/phases/schema/runs"), token)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"mode\": \"dry-run\"}"))
			.andExpect(status().isAccepted());
		this.mvc.perform(bearer(get("/api/v1/audit?action=run.requested&limit=1"), token))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[0].actor").value("operator"))
			.andExpect(jsonPath("$.items[0].via").value("token ci-pipeline"))
			.andExpect(jsonPath("$.items[0].subject").value(org.hamcrest.Matchers.startsWith("tokens/schema")));
		// an operator's token is no admin's
		this.mvc.perform(bearer(get("/api/v1/audit/verify"), token)).andExpect(status().isForbidden());
		this.mvc.perform(get("/api/v1/audit/verify").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.ok").value(true));
		// the token's name is part of the entry's hash: wiping it breaks the chain there
		long seq = this.store.sql("SELECT max(seq) FROM audit_log WHERE via = 'token ci-pipeline'")
			.query(Long.class)
			.single();
		this.store.sql("UPDATE audit_log SET via = NULL WHERE seq = ?").param(seq).update();
		try {
			this.mvc.perform(get("/api/v1/audit/verify").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD)))
				.andExpect(jsonPath("$.ok").value(false))
				.andExpect(jsonPath("$.firstBrokenSeq").value(seq));
		}
		finally {
			this.store.sql("UPDATE audit_log SET via = 'token ci-pipeline' WHERE seq = ?").param(seq).update();
		}
		assertThat(this.store.sql("SELECT last_used_at FROM api_tokens WHERE name = 'ci-pipeline'")
			.query(java.sql.Timestamp.class)
			.single()).isNotNull();

		// revoked on the profile page: the very next request is refused
		long id = this.store.sql("SELECT id FROM api_tokens WHERE name = 'ci-pipeline'").query(Long.class).single();
		this.mvc.perform(post("/profile/tokens/" + id + "/revoke").session(console).with(csrf()))
			.andExpect(status().is3xxRedirection());
		this.mvc.perform(bearer(get("/api/v1/plans"), token))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer")))
			.andExpect(jsonPath("$.error").value("The API token ci-pipeline was revoked."));
		this.mvc
			.perform(get("/api/v1/audit?action=user.changed&limit=1")
				.with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$.items[0].details").value("API token ci-pipeline revoked"));
	}

	@Test
	void unknownExpiredAndDisabledTokensGet401() throws Exception {
		this.mvc.perform(bearer(get("/api/v1/plans"), "ferry_" + "x".repeat(43)))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("The API token is not known."));
		this.mvc.perform(get("/api/v1/plans").header("Authorization", "Bearer ")).andExpect(status().isUnauthorized());

		MockHttpSession console = ConsoleSession.signIn(this.mvc, "reviewer");
		String expiring = make(console, "expiring", 30);
		this.mvc.perform(bearer(get("/api/v1/plans"), expiring)).andExpect(status().isOk());
		this.store.sql("UPDATE api_tokens SET expires_at = ? WHERE name = 'expiring'")
			.param(java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)))
			.update();
		this.mvc.perform(bearer(get("/api/v1/plans"), expiring))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("The API token expiring has expired."));

		SystemActor.run(() -> this.accounts
			.create(new NewAccount("token-leaver", "token-leaver-password-1", Set.of(Role.OPERATOR))));
		String leavers = make(ConsoleSession.signIn(this.mvc, "token-leaver", "token-leaver-password-1"), "leaving", 0);
		this.mvc.perform(bearer(get("/api/v1/plans"), leavers)).andExpect(status().isOk());
		SystemActor.run(() -> this.accounts.setEnabled("token-leaver", false));
		this.mvc.perform(bearer(get("/api/v1/plans"), leavers))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("The API token's user is disabled."));
	}

	@Test
	void aTokenIsMadeOnlyWithAName() throws Exception {
		MockHttpSession console = ConsoleSession.signIn(this.mvc, "owner");
		String page = this.mvc
			.perform(post("/profile/tokens").param("name", "  ").param("days", "30").session(console).with(csrf()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("A token&#39;s name is 1 to 80 characters.")
			.doesNotContainPattern(ConsoleSession.TOKEN);
		make(console, "twice", 30);
		String again = this.mvc
			.perform(post("/profile/tokens").param("name", "twice").param("days", "30").session(console).with(csrf()))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(again).contains("You already have an active token named twice");
	}

	/**
	 * Makes a token on the profile page and reads it off the answer, as a person would.
	 */
	private String make(MockHttpSession console, String name, int days) throws Exception {
		String page = this.mvc
			.perform(post("/profile/tokens").param("name", name)
				.param("days", String.valueOf(days))
				.session(console)
				.with(csrf()))
			.andExpect(status().isOk())
			.andExpect(header().string("Cache-Control", "no-store"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		Matcher found = ConsoleSession.TOKEN.matcher(page);
		assertThat(found.find()).as("the page shows the new token").isTrue();
		return found.group(1);
	}

	private static MockHttpServletRequestBuilder bearer(MockHttpServletRequestBuilder request, String token) {
		return request.header("Authorization", "Bearer " + token);
	}

}
