package dev.ferry.sql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

import dev.ferry.connection.ConnectionKind;

/**
 * The table Ferry keeps in the database a sql phase runs on, so that the phase's apply
 * and its rollback each commit their statements once: {@code ferry_sql_runs}, one row per
 * apply or rollback run whose statements committed there. Where schema changes are
 * transactional (PostgreSQL, SQLite) the row is written in the same transaction as the
 * statements, before them; on H2, where every schema change commits at once, it can only
 * be written after them. A run is known by its id together with when it was requested in
 * Ferry's store, so a second store, which numbers its runs from 1 again, never takes
 * another store's row for its own. Ferry never deletes these rows.
 */
final class SqlLedger {

	static final String TABLE = "ferry_sql_runs";

	private SqlLedger() {
	}

	/**
	 * Creates the table when the database has none yet (DDL, committed at once).
	 */
	static void ensure(Connection connection) throws SQLException {
		if (!ConnectionKind.hasTable(connection, TABLE)) {
			try (Statement statement = connection.createStatement()) {
				statement
					.execute("CREATE TABLE " + TABLE + " (run_id BIGINT NOT NULL, requested_at VARCHAR(40) NOT NULL, "
							+ "plan VARCHAR(64) NOT NULL, phase VARCHAR(64) NOT NULL, run_mode VARCHAR(10) NOT NULL, "
							+ "rolls_back BIGINT, statements INTEGER NOT NULL, script_sha256 VARCHAR(64) NOT NULL, "
							+ "recorded_at TIMESTAMP NOT NULL, PRIMARY KEY (run_id, requested_at))");
			}
		}
	}

	/** The row of this run, if its statements committed. */
	static Optional<Entry> find(Connection connection, Entry run) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT plan, phase, run_mode, rolls_back, "
				+ "statements, script_sha256, recorded_at FROM " + TABLE + " WHERE run_id = ? AND requested_at = ?")) {
			statement.setLong(1, run.runId());
			statement.setString(2, run.requestedAt());
			try (ResultSet rs = statement.executeQuery()) {
				if (!rs.next()) {
					return Optional.empty();
				}
				long rollsBack = rs.getLong(4);
				Long rolled = rs.wasNull() ? null : rollsBack;
				return Optional.of(new Entry(run.runId(), run.requestedAt(), rs.getString(1), rs.getString(2),
						rs.getString(3), rolled, rs.getInt(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
			}
		}
	}

	static void record(Connection connection, Entry entry) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE
				+ " (run_id, requested_at, plan, phase, run_mode, rolls_back, statements, script_sha256, recorded_at) "
				+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
			statement.setLong(1, entry.runId());
			statement.setString(2, entry.requestedAt());
			statement.setString(3, entry.plan());
			statement.setString(4, entry.phase());
			statement.setString(5, entry.mode());
			if (entry.rollsBack() == null) {
				statement.setNull(6, Types.BIGINT);
			}
			else {
				statement.setLong(6, entry.rollsBack());
			}
			statement.setInt(7, entry.statements());
			statement.setString(8, entry.scriptSha256());
			statement.setTimestamp(9, Timestamp.from(entry.recordedAt()));
			statement.executeUpdate();
		}
	}

	/**
	 * One apply or rollback run of a sql phase as the database it ran on keeps it.
	 *
	 * @param runId the run's id in Ferry's store
	 * @param requestedAt when the run was requested in Ferry's store (ISO-8601, UTC, to
	 * the millisecond): with the id, what tells this run from another store's run of the
	 * same number
	 * @param plan the plan
	 * @param phase the phase
	 * @param mode {@code apply} or {@code rollback}
	 * @param rollsBack for a rollback, the apply it undoes
	 * @param statements how many statements the script has
	 * @param scriptSha256 the sha256 of the script as the plan version holds it
	 * @param recordedAt when the row was written
	 */
	record Entry(long runId, String requestedAt, String plan, String phase, String mode, Long rollsBack, int statements,
			String scriptSha256, Instant recordedAt) {

		/** Whether a row found for this run's id and request time describes this run. */
		boolean sameRun(Entry other) {
			return this.plan.equals(other.plan) && this.phase.equals(other.phase) && this.mode.equals(other.mode)
					&& this.scriptSha256.equals(other.scriptSha256);
		}

	}

}
