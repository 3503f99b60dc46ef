package dev.ferry.web;

import java.nio.file.Path;

import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Form input no form would send (issue 20, finding 13): a role that does not exist, a
 * boolean that is neither, a password of a megabyte, a user name of 100,000 characters.
 * Each is answered 400 with words, never a 500, a cut-off page, or a wider access.
 */
@FerryAppTest
class BadFormInputIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient store;

	@Test
	void anUnknownRoleIsRefusedInWords() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin");
		for (String role : new String[] { "BOGUS", "METRICS", "ROLE_ADMIN" }) {
			MvcResult result = this.mvc
				.perform(post("/admin/users").session(admin)
					.with(csrf())
					.param("username", "kim-" + role.toLowerCase())
					.param("password", "kim-password-123")
					.param("roles", role))
				.andReturn();
			assertThat(result.getResponse().getStatus()).as(role).isEqualTo(400);
			assertThat(result.getResponse().getContentAsString()).as(role).contains("</html>").contains(role);
			assertThat(users("kim-" + role.toLowerCase())).isZero();
		}
		MvcResult roles = this.mvc
			.perform(post("/admin/users/operator/roles").session(admin).with(csrf()).param("roles", "BOGUS"))
			.andReturn();
		assertThat(roles.getResponse().getStatus()).isEqualTo(400);
	}

	@Test
	void hugeUserNamesAndPasswordsAreRefusedInWords() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin");
		MvcResult name = this.mvc
			.perform(post("/admin/users").session(admin)
				.with(csrf())
				.param("username", "a".repeat(100_000))
				.param("password", "long-enough-password")
				.param("roles", "VIEWER"))
			.andReturn();
		assertThat(name.getResponse().getStatus()).isEqualTo(400);
		assertThat(name.getResponse().getContentAsString()).contains("</html>");
		MvcResult password = this.mvc
			.perform(post("/admin/users").session(admin)
				.with(csrf())
				.param("username", "lena")
				.param("password", "p".repeat(1_000_000))
				.param("roles", "VIEWER"))
			.andReturn();
		assertThat(password.getResponse().getStatus()).isEqualTo(400);
		assertThat(password.getResponse().getContentAsString()).contains("</html>");
		assertThat(users("lena")).isZero();
	}

	@Test
	void aBooleanThatIsNeitherNeverWidensAConnection(@TempDir Path dir) throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin");
		MvcResult result = this.mvc
			.perform(post("/connections").session(admin)
				.with(csrf())
				.param("name", "maybe-writable")
				.param("jdbcUrl", "jdbc:h2:file:" + dir.resolve("writable").toAbsolutePath())
				.param("readOnly", "maybe"))
			.andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(400);
		assertThat(result.getResponse().getContentAsString()).contains("</html>").contains("maybe");
		assertThat(this.store.sql("SELECT count(*) FROM connection_profiles WHERE name = 'maybe-writable'")
			.query(Long.class)
			.single()).isZero();
		MvcResult enabled = this.mvc
			.perform(post("/admin/users/operator/enabled").session(admin).with(csrf()).param("enabled", "perhaps"))
			.andReturn();
		assertThat(enabled.getResponse().getStatus()).isEqualTo(400);
	}

	private long users(String username) {
		return this.store.sql("SELECT count(*) FROM users WHERE username = ?")
			.param(username)
			.query(Long.class)
			.single();
	}

}
