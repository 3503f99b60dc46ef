package dev.ferry.run.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
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
 * transaction.
 */
@Component
class SqlExecutor implements PhaseExecutor {

	private final ConnectionService connections;

	SqlExecutor(ConnectionService connections) {
		this.connections = connections;
	}

	@Override
	public boolean supports(PhaseSpec phase, RunMode mode) {
		return phase instanceof SqlPhase sql && (mode != RunMode.ROLLBACK || sql.rollback() != null);
	}

	@Override
	public Long total(RunContext run) {
		return (long) statements(run).size();
	}

	@Override
	public BatchOutcome runBatch(RunContext run, String checkpoint) {
		SqlPhase phase = (SqlPhase) run.phase();
		List<String> statements = statements(run);
		ConnectionKind kind = this.connections.get(phase.connection()).kind();
		try (Connection connection = this.connections.dataSource(phase.connection()).getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				if (run.mode() == RunMode.DRY_RUN && kind == ConnectionKind.H2) {
					validate(run, connection, statements, kind);
				}
				else {
					execute(run, connection, statements);
					if (run.mode() == RunMode.DRY_RUN) {
						connection.rollback();
						run.log("Rolled back: the dry run changed nothing on " + phase.connection() + ".");
					}
					else {
						connection.commit();
						run.log("Committed " + statements.size() + " statement(s) on " + phase.connection() + ".");
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
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

}
