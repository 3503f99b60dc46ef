package dev.ferry.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.FerryApplication;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
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
		try (Connection h2 = DriverManager.getConnection(url("depot"), "sa", "");
				Statement statement = h2.createStatement()) {
			statement.execute("CREATE TABLE bins (id INT PRIMARY KEY)");
			H2Login.grant(statement);
		}
	}

	static String url(String name) {
		return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			created  | ;IFEXISTS=FALSE         | ferry_app | never creates one
			writable | ;ACCESS_MODE_DATA=rw    | ferry_app | a URL may only ask for r
			served   | ;AUTO_SERVER=TRUE       | ferry_app | opens a TCP server
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
						{"name": "bins-depot", "jdbcUrl": "%s", "username": "%s", "password": "%s"}
						""".formatted(url("depot"), H2Login.USER, H2Login.PASSWORD)))
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
	void ferrysOwnStoreIsNoConnection(@Autowired HikariDataSource store, @TempDir Path own) throws Exception {
		// the test store is in memory: a URL that reaches it is refused as every
		// in-memory H2 database is
		String memory = store.getJdbcUrl().split(";", 2)[0];
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name": "the-store", "jdbcUrl": "%s;IFEXISTS=TRUE", "username": "ferry", "readOnly": true}
						""".formatted(memory)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString("An in-memory H2 database")));
		assertThat(count("the-store")).isZero();

		// a Ferry whose store is a file: that file, by another URL form, is its store
		Path file = own.resolve("store").toAbsolutePath();
		try (ConfigurableApplicationContext ferry = new SpringApplicationBuilder(FerryApplication.class)
			.profiles("test")
			.run("--spring.datasource.url=jdbc:h2:file:" + file + ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH",
					"--server.port=0", "--ferry.data-dir=" + own.resolve("data"))) {
			int port = ferry.getEnvironment().getProperty("local.server.port", Integer.class);
			String basic = Base64.getEncoder()
				.encodeToString(("admin:" + FerryAppTest.DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8));
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/connections"))
					.header("Authorization", "Basic " + basic)
					.header("Content-Type", MediaType.APPLICATION_JSON_VALUE)
					.POST(HttpRequest.BodyPublishers.ofString(
							"""
									{"name": "the-store", "jdbcUrl": "jdbc:h2:%s;IFEXISTS=TRUE", "username": "ferry", "readOnly": true}
									"""
								.formatted(file)))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
			assertThat(response.body()).contains("Ferry's own store");
			assertThat(ferry.getBean(JdbcClient.class)
				.sql("SELECT count(*) FROM connection_profiles WHERE name = 'the-store'")
				.query(Long.class)
				.single()).isZero();
		}
	}

	private long count(String name) {
		return this.store.sql("SELECT count(*) FROM connection_profiles WHERE name = ?")
			.param(name)
			.query(Long.class)
			.single();
	}

}
