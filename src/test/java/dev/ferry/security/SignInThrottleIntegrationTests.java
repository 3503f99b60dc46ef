package dev.ferry.security;

import java.sql.Timestamp;
import java.time.Instant;

import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
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
 * Repeated wrong passwords (issue 20, finding 7): after five in a row a user name is
 * refused for a while, even with the right password, on the form and through the API;
 * every failure is logged without the password and audited; an address that fails for
 * many user names is refused too.
 */
@FerryAppTest
@ExtendWith(OutputCaptureExtension.class)
class SignInThrottleIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient store;

	@Test
	void theFormRefusesAUserNameAfterFiveWrongPasswordsAndSaysForHowLong(CapturedOutput output) throws Exception {
		user("hana", "hana-password-1");
		for (int i = 1; i <= 6; i++) {
			signIn("hana", "guess-" + i, "10.0.0.1").andExpect(redirectedUrl("/login?error"))
				.andExpect(unauthenticated());
		}
		// the right password, but the user name is refused for now
		MvcResult refused = signIn("hana", "hana-password-1", "10.0.0.2").andExpect(unauthenticated()).andReturn();
		this.mvc.perform(get("/login?error").session((MockHttpSession) refused.getRequest().getSession()))
			.andExpect(content().string(containsString("Too many failed sign-ins")))
			.andExpect(content().string(containsString("refused for")));
		assertThat(output.getAll()).contains("Sign-in failed for user name hana from 10.0.0.1 (form), 6 in a row")
			.doesNotContain("guess-");
		assertThat(this.store
			.sql("SELECT count(*) FROM audit_log WHERE action = 'user.sign-in-failed' AND subject = 'hana'")
			.query(Long.class)
			.single()).isEqualTo(6);
		assertThat(this.store
			.sql("SELECT details FROM audit_log WHERE action = 'user.sign-in-failed' AND subject = "
					+ "'hana' ORDER BY seq DESC LIMIT 1")
			.query(String.class)
			.single()).contains("from 10.0.0.1 (form), 6 in a row; refused until");

		// once the lock has passed (its time moved back here), the right password works
		// and the count starts again
		expire("user:hana");
		signIn("hana", "hana-password-1", "10.0.0.2").andExpect(authenticated().withUsername("hana"));
		assertThat(this.store.sql("SELECT count(*) FROM sign_in_failures WHERE subject = 'user:hana'")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void theApiAnswers429WithRetryAfterOnceAUserNameIsRefused() throws Exception {
		user("ivan", "ivan-password-1");
		for (int i = 1; i <= 6; i++) {
			this.mvc.perform(get("/api/v1/plans").with(httpBasic("ivan", "guess-" + i)).with(from("10.0.1.1")))
				.andExpect(status().isUnauthorized());
		}
		this.mvc.perform(get("/api/v1/plans").with(httpBasic("ivan", "ivan-password-1")).with(from("10.0.1.1")))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"))
			.andExpect(jsonPath("$.error").value(containsString("Too many failed sign-ins")));
		assertThat(this.store
			.sql("SELECT details FROM audit_log WHERE action = 'user.sign-in-failed' AND subject = 'ivan' "
					+ "ORDER BY seq DESC LIMIT 1")
			.query(String.class)
			.single()).startsWith("from 10.0.1.1 (basic), 6 in a row");
	}

	@Test
	void anAddressThatFailsForManyUserNamesIsRefusedForAllOfThem() throws Exception {
		user("jonas", "jonas-password-1");
		for (int i = 1; i <= 21; i++) {
			signIn("nobody-" + i, "guess", "10.0.2.1").andExpect(unauthenticated());
		}
		signIn("jonas", "jonas-password-1", "10.0.2.1").andExpect(unauthenticated());
		// the same user from elsewhere is not refused
		signIn("jonas", "jonas-password-1", "10.0.2.2").andExpect(authenticated().withUsername("jonas"));
	}

	private void user(String username, String password) throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin");
		this.mvc.perform(post("/admin/users").session(admin)
			.with(csrf())
			.param("username", username)
			.param("password", password)
			.param("roles", "VIEWER"));
	}

	private org.springframework.test.web.servlet.ResultActions signIn(String username, String password, String address)
			throws Exception {
		return this.mvc.perform(post("/login").param("username", username)
			.param("password", password)
			.with(csrf())
			.with(from(address)));
	}

	private static RequestPostProcessor from(String address) {
		return request -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

	private void expire(String subject) {
		this.store.sql("UPDATE sign_in_failures SET locked_until = ? WHERE subject = ?")
			.params(Timestamp.from(Instant.now().minusSeconds(1)), subject)
			.update();
	}

}
