package dev.ferry.connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A PostgreSQL connection (embedded server): tested, catalogued, and read-only when a
 * source.
 */
class PostgresConnectionIntegrationTests extends PostgresIntegrationTest {

	@Autowired
	ConnectionService connections;

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void aPostgresConnectionTestsListsItsTablesAndRefusesWritesWhenReadOnly() throws SQLException {
		try (Connection connection = postgres().getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA IF NOT EXISTS legacy");
			statement.execute("CREATE DATABASE legacy_app");
		}
		try (Connection connection = postgres().getDatabase("postgres", "legacy_app").getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE accounts (id INT PRIMARY KEY, email TEXT NOT NULL)");
			statement.execute("INSERT INTO accounts VALUES (1, 'a@example.com'), (2, 'b@example.com')");
		}
		String url = postgres().getJdbcUrl("postgres", "legacy_app");
		this.connections.create(new ConnectionCommand("legacy", url, "postgres", "unused-by-trust-auth", true));

		ConnectionCheck check = this.connections.test("legacy");
		assertThat(check.ok()).as(check.message()).isTrue();
		assertThat(check.message()).contains("PostgreSQL").contains("read-only");
		assertThat(check.tables()).containsExactly(new ConnectionCheck.TableRows("accounts", 2L));
		ConnectionCatalog.Table accounts = this.connections.catalog("legacy")
			.orElseThrow()
			.table("ACCOUNTS")
			.orElseThrow();
		assertThat(accounts.primaryKey()).containsExactly("id");
		assertThat(accounts.column("email")).hasValueSatisfying(column -> assertThat(column.nullable()).isFalse());

		try (Connection connection = this.connections.dataSource("legacy").getConnection();
				Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeUpdate("DELETE FROM accounts"))
				.withMessageContaining("read-only");
		}
	}

}
