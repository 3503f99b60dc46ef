package dev.ferry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The embedded H2 store logs in with a password generated into
 * {@code <data-dir>/store.password}, not as user {@code ferry} without one (issue 20,
 * finding 2); a store made before is given it at start, and keeps its data.
 */
@ExtendWith(OutputCaptureExtension.class)
@Tag("integration")
class StorePasswordIntegrationTests {

	@TempDir
	Path dir;

	@Test
	void aFreshStoreHasTheGeneratedPasswordAndNoneIsRefused(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext app = start()) {
			assertThat(app.getBean(JdbcClient.class).sql("SELECT count(*) FROM users").query(Long.class).single())
				.isPositive();
		}
		Path file = data().resolve("store.password");
		assertThat(file).exists();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(data().resolve("store.password.new")).doesNotExist();
		String password = Files.readString(file, StandardCharsets.UTF_8).strip();
		assertThat(Base64.getDecoder().decode(password)).hasSize(32);
		assertRefused("");
		assertThat(count(password, "users")).isPositive();
		assertThat(output).contains("Generated the embedded store's password into " + file).doesNotContain(password);
	}

	@Test
	void aStoreWithoutAPasswordIsGivenTheGeneratedOneAndKeepsItsData(CapturedOutput output) throws Exception {
		// a store as every Ferry before this one made it: user ferry without a password,
		// its SQL migrations up to V30 (the application adds its Java one, V31, and those
		// after it at its first start)
		Flyway.configure()
			.dataSource(url(), "ferry", "")
			.locations("classpath:db/migration")
			.target("30")
			.load()
			.migrate();
		try (Connection c = DriverManager.getConnection(url(), "ferry", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE kept (note VARCHAR(40))");
			s.execute("INSERT INTO kept VALUES ('made before the upgrade')");
		}
		long migrations = count("", "\"flyway_schema_history\" WHERE \"type\" = 'SQL'");

		try (ConfigurableApplicationContext app = start()) {
			assertThat(app.getBean(JdbcClient.class).sql("SELECT note FROM kept").query(String.class).single())
				.isEqualTo("made before the upgrade");
		}
		Path file = data().resolve("store.password");
		String password = Files.readString(file, StandardCharsets.UTF_8).strip();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertRefused("");
		assertThat(count(password, "kept")).isOne();
		long migrated = count(password, "\"flyway_schema_history\" WHERE \"type\" = 'SQL'");
		assertThat(migrated).as("the migrations after V30 added at the first start").isGreaterThan(migrations);
		assertThat(output).containsOnlyOnce("The embedded store now has a generated password, kept in " + file)
			.doesNotContain(password);

		// the next start logs in with it and changes nothing
		try (ConfigurableApplicationContext app = start()) {
			assertThat(app.getBean(JdbcClient.class).sql("SELECT count(*) FROM kept").query(Long.class).single())
				.isOne();
		}
		assertThat(count(password, "\"flyway_schema_history\" WHERE \"type\" = 'SQL'")).isEqualTo(migrated);
		assertThat(Files.readString(file, StandardCharsets.UTF_8).strip()).isEqualTo(password);
		assertThat(output).containsOnlyOnce("The embedded store now has a generated password");
	}

	@Test
	void aStartStoppedBeforeTheRenameOrTheChangeIsFinishedByTheNext() throws Exception {
		Path file = data().resolve("store.password");
		Path pending = data().resolve("store.password.new");
		Files.createDirectories(data());
		String written = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'x');

		// stopped after writing the file, before changing the store's password
		create("");
		Files.writeString(pending, written);
		assertThat(StorePassword.password(url(), "ferry", data())).isEqualTo(written);
		assertThat(file).hasContent(written);
		assertThat(pending).doesNotExist();
		assertRefused("");
		assertThat(count(written, "kept")).isOne();

		// stopped after changing the store's password, before the rename
		Files.move(file, pending);
		assertThat(StorePassword.password(url(), "ferry", data())).isEqualTo(written);
		assertThat(file).hasContent(written);
		assertThat(pending).doesNotExist();

		// stopped while writing the file: a new password
		drop();
		create("");
		Files.delete(file);
		Files.writeString(pending, written.substring(0, 10));
		String generated = StorePassword.password(url(), "ferry", data());
		assertThat(generated).isNotEqualTo(written.substring(0, 10));
		assertThat(file).hasContent(generated);
		assertRefused("");
		assertThat(count(generated, "kept")).isOne();

		// a store that takes neither stops the start with the reason
		Files.writeString(file, written);
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> StorePassword.password(url(), "ferry", data()))
			.withMessageContaining("refuses user ferry with the password in " + file + " and without one")
			.withMessageContaining("spring.datasource.password");
	}

	@Test
	void aPasswordOfTheOperatorsIsLeftAlone() throws Exception {
		try (ConfigurableApplicationContext app = start("--spring.datasource.password=the-operators-own")) {
			assertThat(app.getBean(JdbcClient.class).sql("SELECT count(*) FROM users").query(Long.class).single())
				.isPositive();
		}
		assertThat(data().resolve("store.password")).doesNotExist();
		assertThat(count("the-operators-own", "users")).isPositive();
	}

	@Test
	void onlyAnEmbeddedH2FileStoreWithoutAConfiguredPasswordGetsOne() {
		assertThat(StorePassword.applies("jdbc:h2:file:./data/store/ferry;MODE=PostgreSQL", "")).isTrue();
		assertThat(StorePassword.applies("jdbc:h2:./data/store/ferry", null)).isTrue();
		assertThat(StorePassword.applies("jdbc:h2:file:./data/store/ferry", "set")).isFalse();
		assertThat(StorePassword.applies("jdbc:h2:file:./data/store/ferry;PASSWORD=set", "")).isFalse();
		assertThat(StorePassword.applies("jdbc:h2:mem:ferry", "")).isFalse();
		assertThat(StorePassword.applies("jdbc:h2:tcp://localhost/ferry", "")).isFalse();
		assertThat(StorePassword.applies("jdbc:h2:ssl://localhost/ferry", "")).isFalse();
		assertThat(StorePassword.applies("jdbc:postgresql://db/ferry", "")).isFalse();
	}

	private ConfigurableApplicationContext start(String... more) {
		String[] args = { "--spring.datasource.url=" + url(), "--server.port=0",
				"--ferry.data-dir=" + data().toAbsolutePath() };
		String[] all = new String[args.length + more.length];
		System.arraycopy(args, 0, all, 0, args.length);
		System.arraycopy(more, 0, all, args.length, more.length);
		// command-line arguments, so they win over the test profile's own settings
		return new SpringApplicationBuilder(FerryApplication.class).profiles("test").run(all);
	}

	private Path data() {
		return this.dir.resolve("data");
	}

	private String url() {
		return "jdbc:h2:file:" + data().resolve("store/ferry").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
	}

	private void create(String password) throws SQLException {
		try (Connection c = DriverManager.getConnection(url(), "ferry", password); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE kept (note VARCHAR(40))");
			s.execute("INSERT INTO kept VALUES ('kept')");
		}
	}

	private void drop() throws Exception {
		try (Connection c = DriverManager.getConnection(url(), "ferry",
				Files.readString(data().resolve("store.password")).strip()); Statement s = c.createStatement()) {
			s.execute("DROP ALL OBJECTS DELETE FILES");
		}
	}

	private void assertRefused(String password) {
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(url(), "ferry", password))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).as("wrong user name or password").isEqualTo(28000));
	}

	private long count(String password, String table) throws SQLException {
		try (Connection c = DriverManager.getConnection(url(), "ferry", password)) {
			return JdbcClient.create(new SingleConnectionDataSource(c, true))
				.sql("SELECT count(*) FROM " + table)
				.query(Long.class)
				.single();
		}
	}

}
