package dev.ferry.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Small gaps of issue 20, finding 14: a connection a plan uses cannot be deleted (409
 * naming the plan; the page offers no Delete and says why), and a token lives only as
 * long as the form offers.
 */
@FerryAppTest
class SmallGapsIntegrationTests {

	@TempDir
	static Path files;

	@Autowired
	MockMvc mvc;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Test
	void aConnectionAPlanUsesIsNotDeleted() throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("kept").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items (id INT PRIMARY KEY)");
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("kept-source", url, H2Login.USER, H2Login.PASSWORD, true));
			this.connections.create(new ConnectionCommand("kept-target", url, H2Login.USER, H2Login.PASSWORD, false));
			this.connections.create(new ConnectionCommand("kept-gate", url, H2Login.USER, H2Login.PASSWORD, true));
			this.connections.create(new ConnectionCommand("unused", url, H2Login.USER, H2Login.PASSWORD, true));
			this.plans.save(null, """
					plan: keeps-connections
					source: kept-source
					target: kept-target
					phases:
					  - id: schema
					    kind: sql
					    apply: CREATE TABLE copies (id INT PRIMARY KEY)
					    rollback: DROP TABLE copies
					    gates: [counted]
					gates:
					  - { id: counted, check: sql, on: kept-gate, query: SELECT count(*) FROM items, min: 0 }
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		for (String name : new String[] { "kept-source", "kept-target", "kept-gate" }) {
			this.mvc.perform(delete("/api/v1/connections/" + name).with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD)))
				.andExpect(status().isConflict())
				.andExpect(jsonPath("$.error").value(containsString("is used by plan keeps-connections")));
		}
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin");
		String page = this.mvc.perform(get("/connections").session(admin))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).containsPattern(
				"<button[^>]*id=\"delete-kept-source\"[^>]*disabled|<button[^>]*disabled[^>]*id=\"delete-kept-source\"")
			.contains("Not deletable: used by plan keeps-connections")
			.doesNotContain("/connections/kept-target/delete")
			.contains("/connections/unused/delete");
		this.mvc.perform(post("/connections/kept-target/delete").session(admin).with(csrf()))
			.andExpect(status().is3xxRedirection());
		assertThat(SystemActor.call(() -> this.connections.get("kept-target")).name()).isEqualTo("kept-target");
		this.mvc.perform(delete("/api/v1/connections/unused").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().is2xxSuccessful());
	}

	@Test
	void aTokenLivesOnlyAsLongAsTheFormOffers() throws Exception {
		MockHttpSession viewer = ConsoleSession.signIn(this.mvc, "viewer");
		for (String days : new String[] { "-5", "7", "100000" }) {
			this.mvc
				.perform(post("/profile/tokens").param("name", "forever-" + days)
					.param("days", days)
					.session(viewer)
					.with(csrf()))
				.andExpect(status().isBadRequest())
				.andExpect(content().string(containsString("is not a lifetime the form offers")));
		}
		this.mvc.perform(get("/profile").session(viewer))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("forever-"))));
	}

}
