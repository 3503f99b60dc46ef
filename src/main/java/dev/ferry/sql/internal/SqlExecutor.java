package dev.ferry.sql.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.SqlPhase;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunCounts;
import dev.ferry.run.RunMode;

import org.springframework.stereotype.Component;

/**
 * The sql phase. Dry run: on PostgreSQL and SQLite, whose schema changes are
 * transactional, the statements run in a transaction that is rolled back, with each
 * statement's update count reported; on H2, which commits DDL at once, each statement is
 * only prepared (parsed) and listed, and the log says plainly that nothing was executed.
 * Apply runs {@code apply} in one transaction; rollback runs {@code rollback} in one
 * transaction. Both record the run in {@link SqlLedger} on the same connection, in that
 * transaction where schema changes are transactional (PostgreSQL, SQLite), so a run whose
 * statements committed is not run again when it resumes; on H2 the row follows the
 * statements, and exactly-once cannot be promised.
 */
@Component
class SqlExecutor implements PhaseExecutor {

	private final ConnectionService connections;

	private final Clock clock;

	SqlExecutor(ConnectionService connections, Clock clock) {
		this.connections = connections;
		this.clock = clock;
	}

	@Override
	public boolean supports(PhaseSpec phase, RunMode mode) {
		return phase instanceof SqlPhase sql && (mode != RunMode.ROLLBACK || sql.rollback() != null);
	}

	@Override
	public Long total(RunContext run) {
		return (long) statements(run).size();
	}

	/**
	 * The result a dry run keeps of whether it executed the statements (and rolled them
	 * back) or only parsed them: {@code {"executed": true|false}}.
	 */
	public static final String DRY_RUN_RESULT = "sql-dry-run";

	@Override
	public BatchOutcome runBatch(RunContext run, String checkpoint) {
		SqlPhase phase = (SqlPhase) run.phase();
		List<String> statements = statements(run);
		ConnectionKind kind = this.connections.get(phase.connection()).kind();
		try (Connection connection = this.connections.dataSource(phase.connection()).getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			try {
				if (run.mode() == RunMode.DRY_RUN) {
					dryRun(run, connection, statements, kind);
				}
				else {
					write(run, connection, statements, kind);
				}
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
		return BatchOutcome.last(statements.size(), RunCounts.NONE);
	}

	private static void dryRun(RunContext run, Connection connection, List<String> statements, ConnectionKind kind)
			throws SQLException {
		connection.setAutoCommit(false);
		try {
			if (kind == ConnectionKind.H2) {
				validate(run, connection, statements, kind);
				run.putResult(DRY_RUN_RESULT, "{\"executed\": false}");
			}
			else {
				execute(run, connection, statements);
				connection.rollback();
				// the statements' time measures the apply's (the runbook's estimate)
				run.putResult(DRY_RUN_RESULT, "{\"executed\": true}");
				run.log("Rolled back: the dry run changed nothing on " + ((SqlPhase) run.phase()).connection() + ".");
			}
		}
		catch (SQLException | RuntimeException ex) {
			connection.rollback();
			throw ex;
		}
	}

	/**
	 * Apply or rollback: the statements and the run's row in {@link SqlLedger} commit
	 * together where the database's schema changes are transactional, so a run whose
	 * statements committed while Ferry's store did not record it is recognised when it
	 * resumes, and not run again. On H2 the row can only follow the statements.
	 */
	private void write(RunContext run, Connection connection, List<String> statements, ConnectionKind kind)
			throws SQLException {
		SqlPhase phase = (SqlPhase) run.phase();
		connection.setAutoCommit(true);
		SqlLedger.ensure(connection);
		connection.setAutoCommit(false);
		SqlLedger.Entry entry = entry(run, statements.size());
		try {
			if (alreadyCommitted(run, connection, entry)) {
				connection.rollback();
				return;
			}
			boolean transactionalDdl = kind != ConnectionKind.H2;
			if (transactionalDdl) {
				try {
					SqlLedger.record(connection, entry);
				}
				catch (SQLException ex) {
					// another instance ran this run at the same time and committed first:
					// its row held this insert back until then
					connection.rollback();
					if (alreadyCommitted(run, connection, entry)) {
						connection.rollback();
						return;
					}
					throw ex;
				}
			}
			else {
				run.log(kind.label() + " commits each schema change at once, so these statements cannot commit "
						+ "together with their ledger row: if Ferry stops while they run, a resume runs them again.");
			}
			execute(run, connection, statements);
			if (!transactionalDdl) {
				SqlLedger.record(connection, entry);
			}
			connection.commit();
			run.log("Committed " + statements.size() + " statement(s) on " + phase.connection()
					+ (transactionalDdl ? " together with " : " and then ") + "the run's row in " + SqlLedger.TABLE
					+ ".");
		}
		catch (SQLException | RuntimeException ex) {
			connection.rollback();
			throw ex;
		}
	}

	/**
	 * Whether the database's ledger already has this run: its statements committed there
	 * before Ferry stopped, and its store did not record the batch.
	 */
	private static boolean alreadyCommitted(RunContext run, Connection connection, SqlLedger.Entry entry)
			throws SQLException {
		SqlLedger.Entry found = SqlLedger.find(connection, entry).orElse(null);
		if (found == null) {
			return false;
		}
		String what = (run.mode() == RunMode.ROLLBACK ? "Rollback #" : "Apply #") + run.runId();
		if (!entry.sameRun(found)) {
			throw new IllegalStateException(SqlLedger.TABLE + " on " + ((SqlPhase) run.phase()).connection()
					+ " has a row for run #" + run.runId() + " requested at " + entry.requestedAt() + " that is not "
					+ what + " (" + found.mode() + " of phase " + found.phase() + " of " + found.plan()
					+ "): Ferry neither runs the statements nor skips them.");
		}
		run.log(what + "'s statements were already committed on " + ((SqlPhase) run.phase()).connection()
				+ " (ledger row of " + found.recordedAt().truncatedTo(ChronoUnit.SECONDS) + " in " + SqlLedger.TABLE
				+ "); not run again.");
		return true;
	}

	private SqlLedger.Entry entry(RunContext run, int statements) {
		SqlPhase phase = (SqlPhase) run.phase();
		boolean rollback = run.mode() == RunMode.ROLLBACK;
		String script = rollback ? phase.rollback() : phase.apply();
		return new SqlLedger.Entry(run.runId(), run.requestedAt().truncatedTo(ChronoUnit.MILLIS).toString(),
				run.plan().plan(), phase.id(), run.mode().code(), rollback ? run.rollsBack().orElse(null) : null,
				statements, sha256(script), this.clock.instant());
	}

	private static void execute(RunContext run, Connection connection, List<String> statements) throws SQLException {
		int number = 0;
		for (String sql : statements) {
			number++;
			try (Statement statement = connection.createStatement()) {
				statement.execute(sql);
				int count = statement.getUpdateCount();
				run.log("Statement " + number + " of " + statements.size() + ": " + brief(sql) + " — "
						+ (count < 0 ? "no update count" : String.format(Locale.ROOT, "%,d row(s)", count)) + ".");
			}
			catch (SQLException ex) {
				throw new SQLException("Statement " + number + " (" + brief(sql) + ") failed: " + ex.getMessage(),
						ex.getSQLState(), ex);
			}
		}
	}

	private static void validate(RunContext run, Connection connection, List<String> statements, ConnectionKind kind)
			throws SQLException {
		run.log(kind.label() + " commits schema changes at once, so this dry run did not execute the statements: it "
				+ "parsed and listed them.");
		int number = 0;
		for (String sql : statements) {
			number++;
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				run.log("Statement " + number + " of " + statements.size() + " parses: " + brief(sql) + ".");
			}
			catch (SQLException ex) {
				if (number == 1) {
					throw new SQLException("Statement 1 (" + brief(sql) + ") does not parse: " + ex.getMessage(),
							ex.getSQLState(), ex);
				}
				// later statements may depend on earlier ones, which a dry run does not
				// execute
				run.log("Statement " + number + " of " + statements.size() + " could not be checked without the "
						+ "statements before it: " + brief(sql) + " (" + ex.getMessage() + ").");
			}
		}
	}

	private static List<String> statements(RunContext run) {
		SqlPhase phase = (SqlPhase) run.phase();
		return SqlScript.statements(run.mode() == RunMode.ROLLBACK ? phase.rollback() : phase.apply());
	}

	private static String brief(String sql) {
		String line = sql.replaceAll("\\s+", " ").strip();
		return line.length() <= 100 ? line : line.substring(0, 97) + "...";
	}

	private static String sha256(String script) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
