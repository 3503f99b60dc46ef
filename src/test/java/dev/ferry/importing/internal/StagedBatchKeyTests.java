package dev.ferry.importing.internal;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which PostgreSQL tables get the insert-only fast path: only those where an existing key
 * makes an insert fail at once, so the key's index can stand for the drift check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StagedBatchKeyTests extends PostgresIntegrationTest {

	Connection connection;

	@BeforeAll
	void tables() throws Exception {
		try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE key_checks");
		}
		this.connection = postgres().getDatabase("postgres", "key_checks").getConnection();
		try (Statement s = this.connection.createStatement()) {
			s.execute("CREATE TABLE pk (plant TEXT, code INT, label TEXT, PRIMARY KEY (plant, code))");
			s.execute("CREATE TABLE narrower (plant TEXT, code INT, label TEXT, UNIQUE (code))");
			s.execute("CREATE TABLE wider (plant TEXT, code INT, label TEXT, UNIQUE (plant, code, label))");
			s.execute("CREATE TABLE plain (plant TEXT, code INT, label TEXT)");
			s.execute("CREATE TABLE partial (plant TEXT, code INT, label TEXT)");
			s.execute("CREATE UNIQUE INDEX partial_key ON partial (plant, code) WHERE label IS NOT NULL");
			s.execute("CREATE TABLE expression (plant TEXT, code INT, label TEXT)");
			s.execute("CREATE UNIQUE INDEX expression_key ON expression (lower(plant), code)");
			s.execute("CREATE TABLE deferred (plant TEXT, code INT, label TEXT, "
					+ "UNIQUE (plant, code) DEFERRABLE INITIALLY DEFERRED)");
			s.execute("CREATE TABLE \"Mixed Case\" (\"Plant\" TEXT, code INT, PRIMARY KEY (\"Plant\", code))");
		}
	}

	@AfterAll
	void close() throws Exception {
		this.connection.close();
	}

	@Test
	void aKeyOrANarrowerUniqueIndexMakesTheKeyUnique() throws Exception {
		assertThat(unique("pk", "plant", "code")).isTrue();
		assertThat(unique("narrower", "plant", "code")).isTrue();
		assertThat(unique("\"Mixed Case\"", "Plant", "code")).isTrue();
	}

	@Test
	void noIndexOrOneThatMissesRowsOrChecksLateDoesNot() throws Exception {
		assertThat(unique("wider", "plant", "code")).as("more columns than the key").isFalse();
		assertThat(unique("plain", "plant", "code")).isFalse();
		assertThat(unique("partial", "plant", "code")).as("only some rows").isFalse();
		assertThat(unique("expression", "plant", "code")).as("an expression").isFalse();
		assertThat(unique("deferred", "plant", "code")).as("checked at commit").isFalse();
	}

	private boolean unique(String quotedTable, String... key) throws Exception {
		return StagedBatch.keyIsUnique(this.connection, quotedTable, List.of(key));
	}

}
