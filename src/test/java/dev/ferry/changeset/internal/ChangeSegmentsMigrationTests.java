package dev.ferry.changeset.internal;

import org.junit.jupiter.api.Tag;
import java.util.List;

import dev.ferry.support.PostgresIntegrationTest;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store upgraded to V29 keeps the rows of its change sets: each row of {@code change_rows}
 * becomes a segment of one row that reads back exactly as it was written, tabs, line
 * feeds, backslashes and NULLs included, on H2 and on PostgreSQL.
 */
@Tag("postgres")
@Tag("integration")
class ChangeSegmentsMigrationTests {

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgres" })
	void theRowsOfEarlierChangeSetsBecomeSegmentsOfOneRow(String store) throws Exception {
		String url;
		String user;
		if (store.equals("h2")) {
			url = "jdbc:h2:mem:segments-migration;MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
			user = "sa";
		}
		else {
			try (var c = PostgresStore.get().getPostgresDatabase().getConnection(); var s = c.createStatement()) {
				s.execute("CREATE DATABASE segments_migration");
			}
			url = PostgresStore.get().getJdbcUrl("postgres", "segments_migration");
			user = "postgres";
		}
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, user, "", true);
		try {
			Flyway.configure()
				.dataSource(dataSource)
				.locations("classpath:db/migration")
				.target(MigrationVersion.fromVersion("28"))
				.load()
				.migrate();
			JdbcClient db = JdbcClient.create(dataSource);
			db.sql("""
					INSERT INTO runs (plan, plan_version, phase, kind, mode, state, requested_by, requested_at)
					VALUES ('old', 1, 'import', 'import', 'dry-run', 'succeeded', 'operator', CURRENT_TIMESTAMP)
					""").update();
			long runId = db.sql("SELECT max(id) FROM runs").query(Long.class).single();
			db.sql("""
					INSERT INTO change_sets (run_id, plan, plan_version, phase, connection, table_name, columns_json,
					  key_json, row_count, created_at, sealed_at, kept_rows)
					VALUES (?, 'old', 1, 'import', 'app', 'items', '[]', '["id"]', 2, CURRENT_TIMESTAMP,
					  CURRENT_TIMESTAMP, 1)
					""").param(runId).update();
			String insert = """
					INSERT INTO change_rows (run_id, seq, op, table_name, key_values, key_search, before_values,
					  after_values, reasons_json, reject_rules, changed_columns)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
					""";
			db.sql(insert)
				.params(runId, 1, "update", "odd\ttable\\x", "[\"K\\\\1\"]", "k\\1", "[\"a\\tb\",null]",
						"[\"a\\nb\",\"\"]", null, null, "|na\\me|")
				.update();
			db.sql(insert)
				.params(runId, 2, "rejected", "items", "[\"2\"]", "2", null, "[\"2\",\"x\"]",
						"[{\"column\":\"qty\",\"value\":\"x\",\"rule\":\"type integer\",\"message\":\"no\"}]",
						"|qty: type integer|", null)
				.update();
			db.sql(insert).params(runId, 3, "kept", "items", "[\"3\"]", "3", "[\"3\",\"y\"]", null, null, null, null)
				.update();

			// the Java migration (V31) as Spring Boot hands it to Flyway
			Flyway.configure()
				.dataSource(dataSource)
				.locations("classpath:db/migration")
				.javaMigrations(new V31__Change_segment_text_storage())
				.load()
				.migrate();

			List<SegmentRow> rows = db.sql("""
					SELECT s.first_seq, b.body FROM change_segments s
					JOIN change_segment_rows b ON b.run_id = s.run_id AND b.last_seq = s.last_seq
					WHERE s.run_id = ? ORDER BY s.first_seq
					""").param(runId).query((rs, n) -> ChangeSegments.decode(rs.getLong(1), rs.getString(2))).list()
				.stream()
				.flatMap(List::stream)
				.toList();
			assertThat(rows).containsExactly(
					new SegmentRow(1, "update", "odd\ttable\\x", "[\"K\\\\1\"]", "[\"a\\tb\",null]", "[\"a\\nb\",\"\"]",
							null, null, "|na\\me|"),
					new SegmentRow(2, "rejected", "items", "[\"2\"]", null, "[\"2\",\"x\"]",
							"[{\"column\":\"qty\",\"value\":\"x\",\"rule\":\"type integer\",\"message\":\"no\"}]",
							"|qty: type integer|", null),
					new SegmentRow(3, "kept", "items", "[\"3\"]", "[\"3\",\"y\"]", null, null, null, null));
			assertThat(db.sql("SELECT updates, rejected, kept, key_search FROM change_segments WHERE run_id = ? "
					+ "ORDER BY first_seq")
				.param(runId)
				.query((rs, n) -> rs.getInt(1) + "," + rs.getInt(2) + "," + rs.getInt(3) + "," + rs.getString(4))
				.list()).containsExactly("1,0,0,\nk\\1", "0,1,0,\n2", "0,0,1,\n3");
			if (store.equals("postgres")) {
				// V31: the segments' text compressed with lz4 where the server has it, else
				// kept uncompressed (this embedded PostgreSQL has no lz4)
				assertThat(db.sql("""
						SELECT a.attstorage || ',' || coalesce(nullif(a.attcompression::text, ''), '-')
						FROM pg_attribute a WHERE a.attrelid = 'change_segment_rows'::regclass AND a.attname = 'body'
						""").query(String.class).single()).isIn("e,-", "x,l");
			}
		}
		finally {
			dataSource.destroy();
		}
	}

	/** The tests' embedded PostgreSQL. */
	private static final class PostgresStore extends PostgresIntegrationTest {

		static io.zonky.test.db.postgres.embedded.EmbeddedPostgres get() {
			return postgres();
		}

	}

}
