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
 * what they typed or shares enough of its trigrams (or whose key is it), and whether a
 * key exists. Reads only, with bound values and quoted identifiers.
 */
@Component
class NewRecords {

	/** The most trigrams of a query the search compares, to bound its cost per row. */
	static final int SEARCH_GRAMS = 12;

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
	 * aside), or has at least a third of its trigrams (case aside; at most
	 * {@value #SEARCH_GRAMS} of them, spread over the query), or whose key is
	 * {@code query}: those containing it first, then by trigrams shared, most first. The
	 * database reads the table as the {@code LIKE} of a substring search does, and
	 * returns only {@code limit} rows; the caller ranks them by similarity.
	 */
	List<MatchRecord> search(String plan, MappingPhase phase, String query, int limit) {
		String q = query.strip().toLowerCase(Locale.ROOT);
		// the names are compared with their spaces collapsed, and a typed double space is
		// no clue
		List<String> grams = spread(NameSimilarity.innerGrams(q.replaceAll("\\s+", " ")), SEARCH_GRAMS);
		List<String> values = new ArrayList<>();
		for (String gram : grams) {
			values.add("%" + escape(gram) + "%");
		}
		values.add("%" + escape(q) + "%");
		values.add(query.strip());
		// a third: the database keeps accents (LOWER only), so "soiree" shares little
		// with
		// "soirée"; the most trigrams come first anyway
		int minHits = grams.isEmpty() ? Integer.MAX_VALUE : (grams.size() + 2) / 3;
		return read(plan, phase, (columns, table) -> {
			String block = "LOWER(" + columns.get(1) + ")";
			StringBuilder hits = new StringBuilder("0");
			for (int i = 0; i < grams.size(); i++) {
				hits.append(" + CASE WHEN ").append(block).append(" LIKE ? ESCAPE '!' THEN 1 ELSE 0 END");
			}
			String select = String.join(", ", columns);
			return "SELECT " + select + " FROM (SELECT " + select + ", " + hits + " AS ferry_hits, CASE WHEN " + block
					+ " LIKE ? ESCAPE '!' THEN 1 ELSE 0 END AS ferry_contains, CASE WHEN CAST(" + columns.get(0)
					+ " AS VARCHAR(400)) = ? THEN 1 ELSE 0 END AS ferry_is_key FROM " + table
					+ ") ferry_found WHERE ferry_is_key = 1 OR ferry_contains = 1 OR ferry_hits >= " + minHits
					+ " ORDER BY ferry_is_key DESC, ferry_contains DESC, ferry_hits DESC, " + columns.get(1) + ", "
					+ columns.get(0);
		}, limit, values.toArray(String[]::new));
	}

	/** The new record with this key, if there is one. */
	List<MatchRecord> byKey(String plan, MappingPhase phase, String key) {
		return read(plan, phase, (columns, table) -> "SELECT " + String.join(", ", columns) + " FROM " + table
				+ " WHERE CAST(" + columns.get(0) + " AS VARCHAR(400)) = ?", 2, key);
	}

	private static String escape(String text) {
		return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
	}

	/** At most {@code max} of the grams, evenly spread. */
	private static List<String> spread(List<String> grams, int max) {
		if (grams.size() <= max) {
			return grams;
		}
		List<String> chosen = new ArrayList<>(max);
		for (int i = 0; i < max; i++) {
			chosen.add(grams.get((int) ((long) i * grams.size() / max)));
		}
		return chosen;
	}

	private List<MatchRecord> read(String plan, MappingPhase phase, Select select, int limit, String... values) {
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
			String sql = select.sql(columns, kind.quote(table.name()));
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

	/**
	 * A SELECT of the given quoted columns (the key, the block column, the
	 * tie-breakers'), in this order, from the quoted table.
	 */
	@FunctionalInterface
	private interface Select {

		String sql(List<String> columns, String table);

	}

}
