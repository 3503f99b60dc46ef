package dev.ferry.demo.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/**
 * The two databases of the schema-alignment sample plan, written on a plain JDBC
 * connection so that the same code builds them on H2 (the demo) and on PostgreSQL (the
 * scenario's test): {@code claims-prod}, a production schema that drifted from the
 * canonical one (three renamed columns, four missing columns with defaults, a missing
 * table with two indexes, schema version 6), and {@code claims-canonical}, the reference
 * schema at version 7 with no data rows. What is planted is in
 * {@code docs/scenarios/schema-alignment.md}.
 */
public final class SchemaAlignmentDatabases {

	/** The seed of the rows; the same seed gives the same rows. */
	public static final long SEED = 20_261_202L;

	/** Rows of {@code claims} in production. */
	public static final int CLAIMS = 240;

	/** Rows of {@code reports} in production. */
	public static final int REPORTS = 60;

	/** Rows of {@code evaluations} in production. */
	public static final int EVALUATIONS = 180;

	/** Evaluations of production without diagnostics (a null, every tenth). */
	public static final int EVALUATIONS_WITHOUT_DIAGNOSTICS = 18;

	/** The schema version production is at. */
	public static final int PRODUCTION_VERSION = 6;

	/** The schema version of the canonical schema. */
	public static final int CANONICAL_VERSION = 7;

	private static final String[] STATUSES = { "open", "accepted", "rejected", "disputed" };

	private static final String[] TEMPLATES = { "greeting", "summary", "refusal", "citation" };

	private SchemaAlignmentDatabases() {
	}

	/**
	 * Writes the drifted production schema and its rows, in one transaction.
	 * @param connection an empty database
	 * @throws SQLException if a statement fails
	 */
	public static void writeProduction(Connection connection) throws SQLException {
		inOneTransaction(connection, () -> {
			execute(connection,
					List.of("CREATE TABLE claims (id INTEGER PRIMARY KEY, claim_text VARCHAR(2000) NOT NULL, "
							+ "status VARCHAR(20) NOT NULL, filed_on DATE NOT NULL)",
							"CREATE INDEX claims_status_idx ON claims (status)",
							"CREATE TABLE reports (id INTEGER PRIMARY KEY, title VARCHAR(200) NOT NULL, "
									+ "aggregation VARCHAR(4000) NOT NULL, created_on DATE NOT NULL)",
							"CREATE TABLE evaluations (id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL, "
									+ "diagnostics VARCHAR(4000), score DECIMAL(6,3), evaluated_on DATE NOT NULL)",
							"CREATE INDEX evaluations_report_idx ON evaluations (report_id)",
							"CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, "
									+ "description VARCHAR(200) NOT NULL)",
							"INSERT INTO schema_version (id, version, description) VALUES (1, " + PRODUCTION_VERSION
									+ ", 'claims schema v" + PRODUCTION_VERSION + "')"));
			rows(connection);
		});
	}

	/**
	 * Writes the canonical schema (no data rows, its schema version row only), in one
	 * transaction.
	 * @param connection an empty database
	 * @throws SQLException if a statement fails
	 */
	public static void writeCanonical(Connection connection) throws SQLException {
		inOneTransaction(connection, () -> execute(connection, List.of(
				"CREATE TABLE claims (id INTEGER PRIMARY KEY, claim VARCHAR(2000) NOT NULL, "
						+ "status VARCHAR(20) NOT NULL, filed_on DATE NOT NULL, priority INTEGER DEFAULT 3 NOT NULL, "
						+ "channel VARCHAR(20) DEFAULT 'web' NOT NULL)",
				"CREATE INDEX claims_status_idx ON claims (status)",
				"CREATE TABLE reports (id INTEGER PRIMARY KEY, title VARCHAR(200) NOT NULL, "
						+ "config_json VARCHAR(4000) NOT NULL, created_on DATE NOT NULL, "
						+ "archived BOOLEAN DEFAULT FALSE NOT NULL)",
				"CREATE TABLE evaluations (id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL, "
						+ "counts_by_template_json VARCHAR(4000), score DECIMAL(6,3), evaluated_on DATE NOT NULL, "
						+ "template_set VARCHAR(40) DEFAULT 'default' NOT NULL)",
				"CREATE INDEX evaluations_report_idx ON evaluations (report_id)",
				"CREATE TABLE anonymous_usage (id INTEGER PRIMARY KEY, event VARCHAR(60) NOT NULL, "
						+ "occurred_on DATE NOT NULL, hits INTEGER DEFAULT 1 NOT NULL)",
				"CREATE INDEX anonymous_usage_event_idx ON anonymous_usage (event)",
				"CREATE INDEX anonymous_usage_occurred_idx ON anonymous_usage (occurred_on)",
				"CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, "
						+ "description VARCHAR(200) NOT NULL)",
				"INSERT INTO schema_version (id, version, description) VALUES (1, " + CANONICAL_VERSION
						+ ", 'claims schema v" + CANONICAL_VERSION + "')")));
	}

	private static void rows(Connection connection) throws SQLException {
		Random random = new Random(SEED);
		LocalDate start = LocalDate.of(2026, 1, 5);
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT INTO claims (id, claim_text, status, filed_on) VALUES (?, ?, ?, ?)")) {
			for (int id = 1; id <= CLAIMS; id++) {
				insert.setInt(1, id);
				insert.setString(2, "Claim " + id + ": the model answered template " + TEMPLATES[random.nextInt(4)]
						+ " with " + (1 + random.nextInt(9)) + " unsupported statement(s)");
				insert.setString(3, STATUSES[random.nextInt(STATUSES.length)]);
				insert.setObject(4, start.plusDays(random.nextInt(300)));
				insert.addBatch();
			}
			insert.executeBatch();
		}
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT INTO reports (id, title, aggregation, created_on) VALUES (?, ?, ?, ?)")) {
			for (int id = 1; id <= REPORTS; id++) {
				insert.setInt(1, id);
				insert.setString(2, "Weekly report " + id);
				insert.setString(3, "{\"group_by\": \"" + TEMPLATES[random.nextInt(4)] + "\", \"window_days\": "
						+ (7 * (1 + random.nextInt(4))) + "}");
				insert.setObject(4, start.plusWeeks(id % 43));
				insert.addBatch();
			}
			insert.executeBatch();
		}
		try (PreparedStatement insert = connection.prepareStatement(
				"INSERT INTO evaluations (id, report_id, diagnostics, score, evaluated_on) VALUES (?, ?, ?, ?, ?)")) {
			for (int id = 1; id <= EVALUATIONS; id++) {
				insert.setInt(1, id);
				insert.setInt(2, 1 + random.nextInt(REPORTS));
				StringBuilder counts = new StringBuilder("{");
				for (int t = 0; t < TEMPLATES.length; t++) {
					counts.append(t == 0 ? "" : ", ")
						.append('"')
						.append(TEMPLATES[t])
						.append("\": ")
						.append(random.nextInt(50));
				}
				insert.setString(3, (id % 10 == 0) ? null : counts.append('}').toString());
				insert.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(100_000), 3));
				insert.setObject(5, start.plusDays(random.nextInt(300)));
				insert.addBatch();
			}
			insert.executeBatch();
		}
	}

	private static void execute(Connection connection, List<String> statements) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	private static void inOneTransaction(Connection connection, Work work) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try {
			work.run();
			connection.commit();
		}
		catch (SQLException | RuntimeException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
	}

	private interface Work {

		void run() throws SQLException;

	}

}
