package dev.ferry.preflight;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same rows give the same table checksum on H2, PostgreSQL and SQLite, whatever the
 * row order and the column order; one changed value changes it.
 */
class RowChecksumIntegrationTests extends PostgresIntegrationTest {

	static final String[] ROWS = { "(1, 'Ruby Spider', TRUE, 12.50, NULL)", "(2, 'Crème Brûlée', FALSE, 5.00, 'x')",
			"(3, '  spaced  ', TRUE, 0.10, '')", "(4, 'Ruby Spider', TRUE, 12.50, NULL)" };

	@TempDir
	Path dir;

	@Test
	void sameRowsSameChecksumOnEveryDatabase() throws SQLException {
		String h2;
		try (Connection c = DriverManager.getConnection("jdbc:h2:mem:checksum")) {
			h2 = checksum(c,
					"CREATE TABLE items (id INT, name VARCHAR(50), fragrant BOOLEAN, price DECIMAL(10,2), note VARCHAR(10))",
					new int[] { 0, 1, 2, 3 }, "INSERT INTO items (id, name, fragrant, price, note) VALUES ");
		}
		String sqlite;
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + this.dir.resolve("items.db"))) {
			sqlite = checksum(c,
					"CREATE TABLE items (note TEXT, price DECIMAL(10,2), name TEXT, fragrant BOOLEAN, id INTEGER)",
					new int[] { 3, 2, 1, 0 }, "INSERT INTO items (id, name, fragrant, price, note) VALUES ");
		}
		String postgres;
		try (Connection c = postgres().getPostgresDatabase().getConnection()) {
			try (Statement s = c.createStatement()) {
				s.execute("DROP TABLE IF EXISTS items");
			}
			postgres = checksum(c,
					"CREATE TABLE items (fragrant BOOLEAN, id INT, name TEXT, note TEXT, price NUMERIC(10,2))",
					new int[] { 2, 0, 3, 1 }, "INSERT INTO items (id, name, fragrant, price, note) VALUES ");
		}
		assertThat(h2).startsWith("4:").isEqualTo(sqlite).isEqualTo(postgres);

		try (Connection c = DriverManager.getConnection("jdbc:h2:mem:checksum-changed")) {
			String changed = checksum(c,
					"CREATE TABLE items (id INT, name VARCHAR(50), fragrant BOOLEAN, price DECIMAL(10,2), note VARCHAR(10))",
					new int[] { 0, 1, 2 }, "INSERT INTO items (id, name, fragrant, price, note) VALUES ");
			try (Statement s = c.createStatement()) {
				s.execute("INSERT INTO items VALUES (4, 'Ruby Spider', TRUE, 12.51, NULL)");
			}
			assertThat(measure(c)).isNotEqualTo(h2).startsWith("4:");
			assertThat(changed).startsWith("3:");
		}
	}

	private static String checksum(Connection c, String create, int[] order, String insert) throws SQLException {
		try (Statement s = c.createStatement()) {
			s.execute(create);
			for (int i : order) {
				s.execute(insert + ROWS[i]);
			}
		}
		return measure(c);
	}

	private static String measure(Connection c) throws SQLException {
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM items")) {
			int[] columns = RowChecksum.columnOrder(rs.getMetaData());
			RowChecksum checksum = new RowChecksum();
			while (rs.next()) {
				checksum.add(rs, columns);
			}
			return checksum.unordered();
		}
	}

}
