package dev.ferry.connection.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.SystemActor;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Rotating {@code FERRY_SECRET_KEY} on a real store: a secret sealed with the running key
 * is sealed again with a new one when Ferry starts with the old key as
 * {@code FERRY_PREVIOUS_SECRET_KEY}, and then opens without the old key.
 */
@FerryAppTest
class SecretRotationIntegrationTests {

	@TempDir
	Path elsewhere;

	@TempDir
	Path databases;

	@Autowired
	ConnectionService connections;

	@Autowired
	JdbcClient store;

	@Value("${ferry.data-dir}")
	Path dataDir;

	@Test
	void startingWithThePreviousKeySealsEverySecretAgainWithTheNewOne() throws Exception {
		SystemActor.run(() -> this.connections.create(new ConnectionCommand("rotate-me",
				"jdbc:h2:file:" + this.databases.resolve("rotate-me"), H2Login.USER, "rotate-me-password", false)));
		String old = Files.readString(this.dataDir.resolve("secret.key")).trim();
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		String fresh = Base64.getEncoder().encodeToString(bytes);
		String before = secret();

		new SecretRotation(new SecretBox(fresh, false, this.elsewhere, old), this.store).run(null);
		try {
			String after = secret();
			assertThat(after).isNotEqualTo(before);
			assertThat(new SecretBox(fresh, false, this.elsewhere, null).open("rotate-me", after))
				.isEqualTo("rotate-me-password");
			assertThatExceptionOfType(RefusedException.class)
				.isThrownBy(() -> new SecretBox(old, false, this.elsewhere, null).open("rotate-me", after));
			// a second start with both keys finds nothing left to do
			new SecretRotation(new SecretBox(fresh, false, this.elsewhere, old), this.store).run(null);
			assertThat(secret()).isEqualTo(after);
		}
		finally {
			// the rotation sealed every secret of the shared test store, the demo
			// connections' too: seal them again with the key the running context opens
			// them with, for the tests that come after
			new SecretRotation(new SecretBox(old, false, this.elsewhere, fresh), this.store).run(null);
		}
		assertThat(SystemActor.call(() -> this.connections.test("app")).ok())
			.as("the running context opens the demo connection's secret again")
			.isTrue();
	}

	private String secret() {
		return this.store.sql("SELECT secret FROM connection_profiles WHERE name = 'rotate-me'")
			.query(String.class)
			.single();
	}

}
