package dev.ferry.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.junit.jupiter.api.Tag;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of tests that run Ferry on the {@code postgres} profile against a real PostgreSQL
 * (embedded binaries, no Docker). One server serves every subclass of the JVM; the
 * profile's own settings are exercised by handing the server to it as
 * {@code FERRY_DB_URL}, {@code FERRY_DB_USER} and {@code FERRY_DB_PASSWORD}. Subclasses
 * that need settings of their own get a context of their own on the same store: they keep
 * the shared data directory ({@code target/test-data}), since a run may be picked by the
 * context of another class. Tagged {@code postgres} and {@code integration} (Failsafe).
 */
@Tag("postgres")
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles({ "test", "postgres" })
@Import(ProbeTaskConfiguration.class)
public abstract class PostgresIntegrationTest {

	private static final EmbeddedPostgres POSTGRES = start();

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registry.add("FERRY_DB_URL", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
		registry.add("FERRY_DB_USER", () -> "postgres");
		registry.add("FERRY_DB_PASSWORD", () -> "");
		// every context on the one store is an instance of one Ferry: a run may be picked
		// by any of them (the test context cache keeps earlier ones running), so they
		// share the secret key that opens connection passwords, as instances must
		registry.add("ferry.secret-key", () -> SHARED_SECRET_KEY);
	}

	/** The instances' {@code FERRY_SECRET_KEY}: 32 bytes, base64 (test stores only). */
	static final String SHARED_SECRET_KEY = java.util.Base64.getEncoder()
		.encodeToString("ferry-postgres-tests-shared-key!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

	protected static EmbeddedPostgres postgres() {
		return POSTGRES;
	}

	private static EmbeddedPostgres start() {
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					// the JVM is exiting; the temporary data directory is removed either
					// way
				}
			}));
			return postgres;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
		}
	}

}
