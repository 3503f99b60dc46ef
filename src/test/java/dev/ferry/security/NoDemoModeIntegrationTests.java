package dev.ferry.security;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Demo mode off and no FERRY_ADMIN_PASSWORD: there are no users, so no password
 * (guessable or not) signs anyone in, and the log says how to create the admin.
 */
@SpringBootTest(properties = { "ferry.demo.enabled=false", "ferry.demo.password=" })
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@Tag("integration")
class NoDemoModeIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Test
	void thereAreNoUsersAndTheLogSaysHowToCreateTheAdmin(CapturedOutput output) {
		assertThat(this.jdbc.sql("SELECT count(*) FROM users").query(Long.class).single()).isZero();
		assertThat(output.getAll()).contains("No enabled admin exists and demo mode is off")
			.contains("FERRY_ADMIN_PASSWORD")
			.doesNotContain("Ferry demo mode: created the users");
	}

	/**
	 * Each guess checked for what it is: the failures of the guesses before are
	 * forgotten, so the sign-in throttle (which refuses with 429 after five) does not
	 * answer instead.
	 */
	@BeforeEach
	void forgetFailedSignIns() {
		this.jdbc.sql("DELETE FROM sign_in_failures").update();
	}

	@ParameterizedTest
	@CsvSource({ "admin,admin", "admin,password", "admin,ferry", "admin,changeme", "admin,admin123",
			"admin,demo-password-for-tests", "viewer,viewer", "operator,operator", "root,root", "ferry,ferry" })
	void noGuessablePasswordSignsAnyoneIn(String username, String password) throws Exception {
		this.mvc.perform(formLogin("/login").user(username).password(password)).andExpect(unauthenticated());
		this.mvc.perform(get("/api/v1/plans").with(httpBasic(username, password))).andExpect(status().isUnauthorized());
	}

}
