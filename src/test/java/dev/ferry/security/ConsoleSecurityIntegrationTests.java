package dev.ferry.security;

import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The console's and the API's security through the real filter chains, the real store and
 * the demo users: what is public, what redirects, what answers JSON, roles and CSRF.
 */
@FerryAppTest
class ConsoleSecurityIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Test
	void healthIsPublicAndSaysUp() throws Exception {
		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"))
			.andExpect(jsonPath("$.components").doesNotExist());
	}

	@Test
	void otherActuatorEndpointsAreNotPublic() throws Exception {
		this.mvc.perform(get("/actuator/env")).andExpect(redirectedUrl("/login"));
		this.mvc.perform(get("/actuator/env").session(ConsoleSession.signIn(this.mvc, "viewer")))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/actuator/env").session(ConsoleSession.signIn(this.mvc, "admin")))
			.andExpect(status().isNotFound());
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/admin/users", "/profile", "/plans", "/connections", "/approvals", "/audit",
			"/no-such-page" })
	void everyPageRedirectsToTheLoginPage(String page) throws Exception {
		this.mvc.perform(get(page)).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
	}

	@Test
	void loginPageIsOursAndCarriesACsrfToken() throws Exception {
		this.mvc.perform(get("/login"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Sign in to Ferry")))
			.andExpect(content().string(containsString("name=\"_csrf\"")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "viewer", "owner", "reviewer", "operator", "operator2", "admin" })
	void everyDemoUserCanSignIn(String username) throws Exception {
		this.mvc.perform(formLogin("/login").user(username).password(FerryAppTest.DEMO_PASSWORD))
			.andExpect(authenticated().withUsername(username))
			.andExpect(redirectedUrl("/"));
	}

	@Test
	void demoUsersHaveTheRoleOfTheirName() throws Exception {
		this.mvc.perform(formLogin("/login").user("operator2").password(FerryAppTest.DEMO_PASSWORD))
			.andExpect(authenticated().withRoles("OPERATOR"));
		this.mvc.perform(formLogin("/login").user("owner").password(FerryAppTest.DEMO_PASSWORD))
			.andExpect(authenticated().withRoles("OWNER"));
	}

	@Test
	void wrongPasswordGoesBackToTheLoginPageWithAnError() throws Exception {
		this.mvc.perform(formLogin("/login").user("admin").password("wrong-password"))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?error"));
		this.mvc.perform(get("/login").param("error", ""))
			.andExpect(content().string(containsString("Wrong user name or password")));
	}

	@Test
	void loginWithoutCsrfTokenIsRefused() throws Exception {
		this.mvc.perform(post("/login").param("username", "admin").param("password", FerryAppTest.DEMO_PASSWORD))
			.andExpect(unauthenticated())
			.andExpect(status().isForbidden());
	}

	@Test
	void viewerIsForbiddenOnAdminPages() throws Exception {
		this.mvc.perform(get("/admin/users").session(ConsoleSession.signIn(this.mvc, "viewer")))
			.andExpect(status().isForbidden());
	}

	@Test
	void postWithoutCsrfTokenIsRefusedEvenWhenSignedIn() throws Exception {
		MockHttpSession session = ConsoleSession.signIn(this.mvc, "admin");
		this.mvc
			.perform(post("/admin/users").session(session)
				.param("username", "no-csrf-user")
				.param("password", "a-long-enough-password")
				.param("roles", "VIEWER"))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/admin/users").param("q", "no-csrf-user").session(session))
			.andExpect(content().string(not(containsString("no-csrf-user</a>"))));
	}

	@Test
	void aStateChangingApiRequestFromAnotherSiteIsRefused() throws Exception {
		// what Chromium sends with a form another site posts, with the Basic credentials
		// it keeps (issue 20, finding 4)
		for (String[] from : new String[][] { { "Sec-Fetch-Site", "cross-site" }, { "Origin", "https://evil.example" },
				{ "Origin", "null" }, { "Sec-Fetch-Site", "same-site" } }) {
			this.mvc
				.perform(post("/api/v1/connections/any/test").header(from[0], from[1])
					.with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD)))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.error").value(containsString("Cross-site requests to the API are refused")));
		}
		// the same request from Ferry's own page, or from a script, is not
		this.mvc
			.perform(post("/api/v1/connections/no-such-connection/test").header("Origin", "http://localhost")
				.header("Sec-Fetch-Site", "same-origin")
				.with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isNotFound());
		this.mvc
			.perform(post("/api/v1/connections/no-such-connection/test")
				.with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isNotFound());
		// reading is not refused: a page elsewhere cannot read the answer anyway
		this.mvc
			.perform(get("/api/v1/plans").header("Sec-Fetch-Site", "cross-site")
				.with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk());
	}

	@Test
	void consolePagesCarryAContentSecurityPolicyWithoutInlineCode() throws Exception {
		// issue 20, finding 14: nothing inline may run or style a page
		String page = this.mvc.perform(get("/").session(ConsoleSession.signIn(this.mvc, "viewer")))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Security-Policy", containsString("script-src 'self'")))
			.andExpect(header().string("Content-Security-Policy", containsString("style-src 'self'")))
			.andExpect(header().string("Content-Security-Policy", not(containsString("unsafe"))))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).doesNotContain(" style=\"").doesNotContain("<script>").doesNotContain(" onclick=");
		this.mvc.perform(get("/login"))
			.andExpect(header().string("Content-Security-Policy", containsString("frame-ancestors 'none'")));
	}

	@Test
	void apiAnswers401JsonAndNeverRedirects() throws Exception {
		this.mvc.perform(get("/api/v1/plans"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().doesNotExist("Location"))
			// never a Basic challenge: a browser would keep the password for any page to
			// use
			.andExpect(header().string("WWW-Authenticate", not(containsString("Basic"))))
			.andExpect(content().contentTypeCompatibleWith("application/json"))
			.andExpect(jsonPath("$.error").isNotEmpty())
			.andExpect(jsonPath("$.reasons").isArray());
		this.mvc.perform(get("/api/v1/plans").with(httpBasic("admin", "wrong-password")))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").isNotEmpty());
	}

	@Test
	void apiDoesNotAcceptTheConsoleSessionCookie() throws Exception {
		MockHttpSession session = ConsoleSession.signIn(this.mvc, "admin");
		this.mvc.perform(get("/api/v1/plans").session(session)).andExpect(status().isUnauthorized());
	}

	@Test
	void htmxRequestWithoutSessionAsksThePageToReload() throws Exception {
		this.mvc.perform(get("/admin/users").header("HX-Request", "true"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("HX-Refresh", "true"))
			.andExpect(header().doesNotExist("Location"));
	}

	@Test
	void afterSigningInTheRememberedPageIsAFullPageNeverAFragment() throws Exception {
		MvcResult fragment = this.mvc.perform(get("/admin/users").header("HX-Request", "true")).andReturn();
		MockHttpSession session = (MockHttpSession) fragment.getRequest().getSession();
		this.mvc
			.perform(post("/login").session(session)
				.with(csrf())
				.param("username", "admin")
				.param("password", FerryAppTest.DEMO_PASSWORD))
			.andExpect(redirectedUrl("/"));
	}

	@Test
	void logoutEndsTheSession() throws Exception {
		MockHttpSession session = ConsoleSession.signIn(this.mvc, "viewer");
		this.mvc.perform(post("/logout").session(session).with(csrf())).andExpect(redirectedUrl("/login?logout"));
		this.mvc.perform(get("/").session(session)).andExpect(redirectedUrl("/login"));
	}

}
