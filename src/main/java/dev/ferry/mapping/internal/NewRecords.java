package dev.ferry.mapping.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionService;
import dev.ferry.mapping.MatchRecord;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;

import org.springframework.stereotype.Component;

/**
 * The new side of a mapping phase, read for reviewers: records whose block value contains
 * what they typed (or whose key is it), and whether a key exists. Reads only, with bound
 * values and quoted identifiers.
 */
@Component
class NewRecords {

	private final PlanService plans;

	private final ConnectionService connections;

	NewRecords(PlanService plans, ConnectionService connections) {
		this.plans = plans;
		this.connections = connections;
	}

	/** The phase of the plan's latest version. */
	MappingPhase phase(String plan, String phase) {
		PhaseSpec spec = this.plans.latest(plan)
			.spec()
			.phase(phase)
			.orElseThrow(() -> new NotFoundException("mapping.noPhase", "Plan " + plan + " has no phase " + phase + ".",
					plan, phase));
		if (!(spec instanceof MappingPhase mapping)) {
			throw new NotFoundException("mapping.notMapping",
					"Phase " + phase + " of plan " + plan + " is not a mapping phase.", plan, phase);
		}
		return mapping;
	}

	/**
	 * Up to {@code limit} new records whose block value contains {@code query} (case
	 * aside) or whose key is {@code query}, by block value.
	 */
	List<MatchRecord> search(String plan, MappingPhase phase, String query, int limit) {
		String q = query.strip();
		return read(plan, phase,
				(fields, key) -> "LOWER(" + fields.get(0) + ") LIKE ? ESCAPE '!' OR CAST(" + key
						+ " AS VARCHAR(400)) = ? ORDER BY " + fields.get(0) + ", " + key,
				limit, "%" + q.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%",
				q);
	}

	/** The new record with this key, if there is one. */
	List<MatchRecord> byKey(String plan, MappingPhase phase, String key) {
		return read(plan, phase, (fields, quotedKey) -> "CAST(" + quotedKey + " AS VARCHAR(400)) = ?", 2, key);
	}

	private List<MatchRecord> read(String plan, MappingPhase phase, Where where, int limit, String... values) {
		MappingPhase.Side side = phase.newSide();
		String connection = (side.connection() != null) ? side.connection() : this.plans.latest(plan).spec().target();
		ConnectionCatalog.Table table = this.connections.catalog(connection)
			.flatMap(catalog -> catalog.table(side.table()))
			.orElseThrow(() -> new RefusedException("mapping.noNewTable",
					"Table " + side.table() + " cannot be read on connection " + connection + ".", side.table(),
					connection));
		List<String> names = new ArrayList<>();
		names.add(side.key());
		names.add(phase.block().newColumn());
		phase.tieBreakers().forEach(tie -> names.add(tie.newColumn()));
		DataSource dataSource = this.connections.dataSource(connection);
		try (Connection c = dataSource.getConnection()) {
			ConnectionKind kind = ConnectionKind.of(c);
			c.setReadOnly(kind != ConnectionKind.SQLITE);
			List<String> columns = new ArrayList<>();
			for (String name : names) {
				String dbName = table.column(name)
					.map(ConnectionCatalog.Column::name)
					.orElseThrow(() -> new RefusedException("mapping.noNewColumn",
							"Table " + table.name() + " has no column " + name + ".", table.name(), name));
				columns.add(kind.quote(dbName));
			}
			String sql = "SELECT " + String.join(", ", columns) + " FROM " + kind.quote(table.name()) + " WHERE "
					+ where.sql(columns.subList(1, columns.size()), columns.get(0));
			try (PreparedStatement statement = c.prepareStatement(sql)) {
				statement.setMaxRows(limit);
				for (int i = 0; i < values.length; i++) {
					statement.setString(i + 1, values[i]);
				}
				List<MatchRecord> records = new ArrayList<>();
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next() && records.size() < limit) {
						List<String> fields = new ArrayList<>();
						for (int i = 2; i <= columns.size(); i++) {
							fields.add(rs.getString(i));
						}
						records.add(new MatchRecord(rs.getString(1), fields));
					}
				}
				return records;
			}
		}
		catch (SQLException ex) {
			throw new RefusedException("mapping.searchFailed",
					"Searching " + table.name() + " on " + connection + " failed: " + ex.getMessage(), table.name(),
					connection, ex.getMessage());
		}
	}

	/** A WHERE clause (and its ORDER BY) given the quoted fields and key. */
	@FunctionalInterface
	private interface Where {

		String sql(List<String> fields, String key);

	}

}
