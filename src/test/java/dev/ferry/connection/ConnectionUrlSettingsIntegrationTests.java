package dev.ferry.connection;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * URL settings that would widen what a connection may do (issue 20, finding 11): an H2
 * URL that creates databases, writes through a read-only connection or opens a TCP
 * server, and a PostgreSQL URL that carries a password or a user other than the username
 * field, are refused in words when stored, and not opened when a connection stored before
 * the rule has one.
 */
@FerryAppTest
class ConnectionUrlSettingsIntegrationTests {

	@TempDir
	static Path dir;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient store;

	@BeforeAll
	static void database() throws SQLException {
		try (Connection h2 = DriverManager.getConnection(url("depot"), "keeper", "");
				Statement statement = h2.createStatement()) {
			statement.execute("CREATE TABLE bins (id INT PRIMARY KEY)");
		}
	}

	static String url(String name) {
		return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			created  | ;IFEXISTS=FALSE         | keeper   | never creates one
			writable | ;ACCESS_MODE_DATA=rw    | keeper   | a URL may only ask for r
			served   | ;AUTO_SERVER=TRUE       | keeper   | opens a TCP server
			""")
	void h2SettingsThatWidenAConnectionAreRefused(String name, String settings, String user, String words)
			throws Exception {
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name": "%s", "jdbcUrl": "%s%s", "username": "%s", "readOnly": true}
						""".formatted(name, url(name), settings, user)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString(words)));
		assertThat(count(name)).isZero();
		assertThat(dir.resolve(name + ".mv.db")).as("no database was created").doesNotExist();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "-",
			textBlock = """
					jdbc:postgresql://alice:secret@db.example/app | alice    | put the user in the username field
					jdbc:postgresql://db.example/app?user=postgres | alice   | user=postgres would replace the username field (alice)
					jdbc:postgresql://db.example/app?user=postgres | -       | user=postgres would replace the username field (empty)
					""")
	void postgresUrlsThatCarryALoginAreRefused(String jdbcUrl, String user, String words) throws Exception {
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name": "pg-login", "jdbcUrl": "%s", "username": %s}
						""".formatted(jdbcUrl, user == null ? "null" : "\"" + user + "\"")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString(words)));
		assertThat(count("pg-login")).isZero();
	}

	@Test
	void aConnectionStoredBeforeTheRuleIsNotOpenedWithIt() throws Exception {
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name": "bins-depot", "jdbcUrl": "%s", "username": "keeper"}
						""".formatted(url("depot"))))
			.andExpect(status().isCreated());
		// as an older Ferry stored it
		this.store.sql("UPDATE connection_profiles SET jdbc_url = ? WHERE name = 'bins-depot'")
			.param(url("depot") + ";AUTO_SERVER=TRUE")
			.update();
		this.mvc
			.perform(
					post("/api/v1/connections/bins-depot/test").with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.ok").value(false))
			.andExpect(jsonPath("$.message").value(containsString("opens a TCP server")));
		assertThat(dir.resolve("depot.lock.db")).as("no AUTO_SERVER lock file with a TCP address").doesNotExist();
	}

	@Test
	void ferrysOwnStoreIsNoConnection(@Autowired HikariDataSource store) throws Exception {
		// the test store is in memory: the same name, as the URL's first part, reaches it
		String url = store.getJdbcUrl().split(";", 2)[0];
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name": "the-store", "jdbcUrl": "%s;IFEXISTS=TRUE", "username": "ferry", "readOnly": true}
						""".formatted(url)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString("Ferry's own store")));
		assertThat(count("the-store")).isZero();
	}

	private long count(String name) {
		return this.store.sql("SELECT count(*) FROM connection_profiles WHERE name = ?")
			.param(name)
			.query(Long.class)
			.single();
	}

}
