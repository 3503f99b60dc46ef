package dev.ferry.importing.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ReadQuery;
import dev.ferry.connection.ReadingConnection;
import dev.ferry.importing.SourceRows;

/**
 * An import phase's own source: its query on its connection, wrapped as a derived table
 * so it can be counted and ordered, read on a reading connection.
 */
final class QueryRows implements SourceRows {

	private final DataSource dataSource;

	private final String derived;

	QueryRows(DataSource dataSource, String query) {
		this.dataSource = dataSource;
		// one statement only (a plan saved before the rule is refused here)
		this.derived = ImportSql.derived(ReadQuery.statement(query));
	}

	@Override
	public long count() throws SQLException {
		Connection connection = ReadingConnection.open(this.dataSource);
		try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM " + this.derived);
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
		finally {
			ReadingConnection.release(connection);
		}
	}

	@Override
	public List<Column> columns() throws SQLException {
		Connection connection = ReadingConnection.open(this.dataSource);
		try {
			return ImportSql.columns(connection, "SELECT * FROM " + this.derived + " WHERE 1 = 0");
		}
		finally {
			ReadingConnection.release(connection);
		}
	}

	@Override
	public Cursor open(List<Column> orderBy) throws SQLException {
		Connection connection = ReadingConnection.open(this.dataSource);
		try {
			ConnectionKind kind = ConnectionKind.of(connection);
			List<String> order = new ArrayList<>();
			for (Column column : orderBy) {
				order.add(kind.orderTerm(kind.quote(column.name()), column.jdbcType()));
			}
			String sql = "SELECT * FROM " + this.derived
					+ (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order));
			ResultSet rs = ImportReaders.open(connection, sql);
			return new Cursor() {

				@Override
				public boolean next() throws SQLException {
					return rs.next();
				}

				@Override
				public Object get(int column) throws SQLException {
					return rs.getObject(column + 1);
				}

				@Override
				public void close() {
					ImportReaders.close(rs, connection);
				}

			};
		}
		catch (SQLException | RuntimeException ex) {
			ReadingConnection.release(connection);
			throw ex;
		}
	}

}
