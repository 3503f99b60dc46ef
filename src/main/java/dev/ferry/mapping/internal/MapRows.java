package dev.ferry.mapping.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ReadingConnection;
import dev.ferry.importing.SourceRows;
import dev.ferry.problem.NotFoundException;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The map of a mapping dry run as the decisions stand now, read from this module's tables
 * for the import's comparison (what a mapping apply writes into its {@code into} table):
 * a row per old record that maps to a new record, i.e. {@code auto} without a standing
 * decision, or a standing {@code manual} pick. Columns: {@link #OLD}, {@link #NEW},
 * {@link #STATUS} ({@code auto} or {@code manual}) and {@link #CONFIDENCE} (the best
 * score to four places for {@code auto}, 1 for a reviewer's pick). Excluded and open
 * items have no row.
 */
final class MapRows implements SourceRows {

	static final String OLD = "ferry_old";

	static final String NEW = "ferry_new";

	static final String STATUS = "ferry_status";

	static final String CONFIDENCE = "ferry_confidence";

	private static final String PICKED = "d.status = 'manual' AND NOT d.stale";

	private static final String MAP = "SELECT i.old_key AS " + OLD + ",\n" //
			+ "  CASE WHEN " + PICKED + " THEN d.new_key ELSE i.best_new_key END AS " + NEW + ",\n" //
			+ "  CASE WHEN " + PICKED + " THEN 'manual' ELSE 'auto' END AS " + STATUS + ",\n" //
			+ "  CASE WHEN " + PICKED + " THEN CAST(1 AS DECIMAL(7, 4)) ELSE CAST(i.best_score AS DECIMAL(7, 4)) "
			+ "END AS " + CONFIDENCE + "\n" //
			+ "FROM mapping_items i LEFT JOIN mapping_decisions d\n" //
			+ "  ON d.plan = ? AND d.phase = ? AND d.old_key = i.old_key\n" //
			+ "WHERE i.run_id = ?\n" //
			+ "  AND ((" + PICKED + ") OR (i.status = 'auto' AND (d.status IS NULL OR d.stale)))";

	private final DataSource store;

	private final String plan;

	private final String phase;

	private final long runId;

	MapRows(DataSource store, String plan, String phase, long runId) {
		this.store = store;
		this.plan = plan;
		this.phase = phase;
		this.runId = runId;
	}

	@Override
	public long count() {
		JdbcClient jdbc = JdbcClient.create(this.store);
		if (jdbc.sql("SELECT count(*) FROM mapping_runs WHERE run_id = ?")
			.param(this.runId)
			.query(Long.class)
			.single() == 0) {
			throw new NotFoundException("mapping.noRun", "Run #" + this.runId + " has no mapping results.", this.runId);
		}
		return jdbc.sql("SELECT count(*) FROM (" + MAP + ") ferry_map")
			.params(this.plan, this.phase, this.runId)
			.query(Long.class)
			.single();
	}

	/** Text keys and status, and the confidence as a decimal, as the store keeps them. */
	@Override
	public List<Column> columns() {
		return List.of(new Column(OLD, Types.VARCHAR), new Column(NEW, Types.VARCHAR),
				new Column(STATUS, Types.VARCHAR), new Column(CONFIDENCE, Types.DECIMAL));
	}

	@Override
	public Cursor open(List<Column> orderBy) throws SQLException {
		Connection connection = ReadingConnection.open(this.store);
		try {
			ConnectionKind kind = ConnectionKind.of(connection);
			String order = orderBy.stream()
				.map(column -> kind.orderTerm(kind.quote(column.name()), column.jdbcType()))
				.collect(Collectors.joining(", "));
			PreparedStatement statement = bound(connection,
					"SELECT * FROM (" + MAP + ") ferry_map" + (order.isEmpty() ? "" : " ORDER BY " + order));
			statement.setFetchSize(2000);
			ResultSet rs = statement.executeQuery();
			return new MapCursor(connection, statement, rs);
		}
		catch (SQLException | RuntimeException ex) {
			ReadingConnection.release(connection);
			throw ex;
		}
	}

	private PreparedStatement bound(Connection connection, String sql) throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
				ResultSet.CONCUR_READ_ONLY);
		statement.setString(1, this.plan);
		statement.setString(2, this.phase);
		statement.setLong(3, this.runId);
		return statement;
	}

	/** The map's rows, read on a reading connection of the store. */
	private record MapCursor(Connection connection, PreparedStatement statement, ResultSet rs) implements Cursor {

		@Override
		public boolean next() throws SQLException {
			return this.rs.next();
		}

		@Override
		public Object get(int column) throws SQLException {
			return this.rs.getObject(column + 1);
		}

		@Override
		public void close() {
			try {
				this.statement.close();
			}
			catch (SQLException ex) {
				// the connection's rollback and close free it anyway
			}
			ReadingConnection.release(this.connection);
		}

	}

}
