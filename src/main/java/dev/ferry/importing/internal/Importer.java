package dev.ferry.importing.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionService;
import dev.ferry.connection.ReadingConnection;
import dev.ferry.importing.Imports;
import dev.ferry.importing.SourceRows;
import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.run.PhaseExecutor;

import org.springframework.stereotype.Component;

/** The import's comparison and writing, offered to other phase kinds. */
@Component
class Importer implements Imports {

	private final ImportDryRun comparison;

	private final ImportApply writing;

	private final ConnectionService connections;

	Importer(ImportDryRun comparison, ImportApply writing, ConnectionService connections) {
		this.comparison = comparison;
		this.writing = writing;
		this.connections = connections;
	}

	@Override
	public PhaseExecutor comparison() {
		return this.comparison;
	}

	@Override
	public PhaseExecutor writing() {
		return this.writing;
	}

	@Override
	public Map<String, ColumnRule.Type> columnTypes(String connection, String table, List<String> columns) {
		Connection c = null;
		try {
			c = ReadingConnection.open(this.connections.dataSource(connection));
			List<String> quoted = new ArrayList<>();
			for (String name : columns) {
				quoted.add(ConnectionKind.quote(c, name));
			}
			List<SourceRows.Column> read = ImportSql.columns(c,
					"SELECT " + String.join(", ", quoted) + " FROM " + ConnectionKind.quote(c, table) + " WHERE 1 = 0");
			Map<String, ColumnRule.Type> types = new LinkedHashMap<>();
			for (int i = 0; i < columns.size(); i++) {
				types.put(columns.get(i), type(read.get(i).jdbcType()));
			}
			return types;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Reading the columns of " + table + " on " + connection + " failed: " + ex.getMessage(), ex);
		}
		finally {
			ReadingConnection.release(c);
		}
	}

	/** A value as the table keeps it: whole numbers, other numbers, or text. */
	private static ColumnRule.Type type(int jdbcType) {
		return switch (jdbcType) {
			case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> ColumnRule.Type.INTEGER;
			case Types.NUMERIC, Types.DECIMAL, Types.REAL, Types.FLOAT, Types.DOUBLE -> ColumnRule.Type.DECIMAL;
			default -> ColumnRule.Type.STRING;
		};
	}

}
