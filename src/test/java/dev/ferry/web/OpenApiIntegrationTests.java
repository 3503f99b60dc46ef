package dev.ferry.web;

import dev.ferry.security.ApiTokenService;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The API's OpenAPI description and Swagger UI: the description for an API token, HTTP
 * Basic or a console session (401 without), Swagger UI for signed-in users; every
 * endpoint of the contract described with its role, and the two ways to authenticate.
 */
@FerryAppTest
class OpenApiIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JsonMapper json;

	@Autowired
	ApiTokenService tokens;

	@Test
	void aPipelineReadsTheDescriptionWithAnApiTokenOrHttpBasic() throws Exception {
		this.mvc.perform(get("/v3/api-docs"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "Bearer realm=\"Ferry\""))
			.andExpect(jsonPath("$.error").value(containsString("API token")));
		this.mvc.perform(get("/v3/api-docs").header("Authorization", "Bearer ferry_not-a-token"))
			.andExpect(status().isUnauthorized());
		this.mvc.perform(get("/v3/api-docs").with(httpBasic("viewer", "not-the-password")))
			.andExpect(status().isUnauthorized());

		String token = SystemActor.callOnBehalfOf("viewer", Role.VIEWER, () -> this.tokens.create("openapi-it", null))
			.secret();
		MvcResult withToken = this.mvc.perform(get("/v3/api-docs").header("Authorization", "Bearer " + token))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andReturn();
		assertThat(
				this.json.readTree(withToken.getResponse().getContentAsString()).path("info").path("title").asString())
			.isEqualTo("Ferry API");
		assertThat(withToken.getRequest().getSession(false)).as("no session for a token").isNull();

		MvcResult withBasic = this.mvc
			.perform(get("/v3/api-docs").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andReturn();
		assertThat(withBasic.getRequest().getSession(false)).as("no session for HTTP Basic").isNull();
		assertThat(withBasic.getResponse().getHeader("Set-Cookie")).isNull();
		this.mvc.perform(get("/v3/api-docs.yaml").header("Authorization", "Bearer " + token))
			.andExpect(status().isOk());
	}

	@Test
	void signedInUsersReadTheDescriptionOfEveryEndpoint() throws Exception {
		this.mvc.perform(get("/swagger-ui.html")).andExpect(redirectedUrl("/login"));

		MockHttpSession viewer = ConsoleSession.signIn(this.mvc, "viewer");
		JsonNode docs = this.json.readTree(this.mvc.perform(get("/v3/api-docs").session(viewer))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(docs.path("info").path("title").asString()).isEqualTo("Ferry API");
		assertThat(docs.path("components").path("securitySchemes").path("token").path("scheme").asString())
			.isEqualTo("bearer");
		JsonNode paths = docs.path("paths");
		// the contract's endpoints, each with a summary that names its role
		String[][] contract = { { "/api/v1/connections", "get" }, { "/api/v1/connections", "post" },
				{ "/api/v1/connections/{name}/test", "post" }, { "/api/v1/plans", "get" },
				{ "/api/v1/plans/{plan}", "put" }, { "/api/v1/plans/{plan}", "get" },
				{ "/api/v1/plans/{plan}/versions/{version}", "get" },
				{ "/api/v1/plans/{plan}/phases/{phase}/runs", "post" }, { "/api/v1/runs/{id}", "get" },
				{ "/api/v1/runs/{id}/cancel", "post" }, { "/api/v1/runs/{id}/changes", "get" },
				{ "/api/v1/runs/{id}/report", "get" }, { "/api/v1/plans/{plan}/phases/{phase}/gates", "get" },
				{ "/api/v1/plans/{plan}/phases/{phase}/approvals", "post" },
				{ "/api/v1/plans/{plan}/phases/{phase}/mapping", "get" },
				{ "/api/v1/plans/{plan}/phases/{phase}/mapping/{oldKey}/decision", "post" },
				{ "/api/v1/plans/{plan}/phases/{phase}/mapping/{oldKey}/decision", "delete" },
				{ "/api/v1/plans/{plan}/phases/{phase}/mapping/search", "get" },
				{ "/api/v1/runs/{id}/rollback", "post" }, { "/api/v1/audit", "get" },
				{ "/api/v1/audit/verify", "get" } };
		for (String[] endpoint : contract) {
			JsonNode operation = paths.path(endpoint[0]).path(endpoint[1]);
			assertThat(operation.isMissingNode()).as("%s %s is described", endpoint[1], endpoint[0]).isFalse();
			assertThat(operation.path("summary").asString()).as("%s %s", endpoint[1], endpoint[0])
				.containsPattern("\\((VIEWER|OWNER|REVIEWER|OPERATOR|ADMIN|OPERATOR or OWNER)\\)");
		}
		assertThat(paths.propertyNames()).as("the console's pages are not in it").allMatch(p -> p.startsWith("/api/"));

		this.mvc.perform(get("/swagger-ui.html").session(viewer)).andExpect(redirectedUrl("/swagger-ui/index.html"));
		String page = this.mvc.perform(get("/swagger-ui/index.html").session(viewer))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("swagger-ui");
	}

}
