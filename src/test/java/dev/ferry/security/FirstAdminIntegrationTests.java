package dev.ferry.security;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;

/**
 * Outside demo mode, the first admin comes from FERRY_ADMIN_PASSWORD and nobody else
 * exists.
 */
@SpringBootTest(properties = { "ferry.demo.enabled=false", "ferry.admin.password=first-admin-password" })
@AutoConfigureMockMvc
@ActiveProfiles("test")
@Tag("integration")
class FirstAdminIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Test
	void theAdminFromTheEnvironmentIsTheOnlyUser() throws Exception {
		assertThat(this.jdbc.sql("SELECT username FROM users").query(String.class).list()).containsExactly("admin");
		this.mvc.perform(formLogin("/login").user("admin").password("first-admin-password"))
			.andExpect(authenticated().withRoles("ADMIN"));
		this.mvc.perform(formLogin("/login").user("viewer").password("demo-password-for-tests"))
			.andExpect(unauthenticated());
	}

}
