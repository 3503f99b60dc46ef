package dev.ferry.gate.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionService;
import dev.ferry.connection.ReadQuery;
import dev.ferry.connection.ReadingConnection;
import dev.ferry.gate.internal.GateChecks.Measured;
import dev.ferry.plan.spec.SchemaMatchesGate;
import dev.ferry.plan.spec.SqlGate;
import dev.ferry.problem.RefusedException;

import org.springframework.stereotype.Component;

/**
 * Measures the gates that ask a database directly: an sql gate's query and a
 * schema-matches gate's comparison of two connections' tables.
 */
@Component
class DatabaseChecks {

	/** How many schema differences a result names; the rest are counted. */
	static final int DIFFERENCES_NAMED = 20;

	private final ConnectionService connections;

	DatabaseChecks(ConnectionService connections) {
		this.connections = connections;
	}

	/**
	 * Runs an sql gate's query, one statement ({@link ReadQuery}) in a read-only
	 * transaction that is rolled back ({@link ReadingConnection}), and measures its first
	 * value against the bounds.
	 */
	Measured sql(SqlGate gate, String threshold) {
		String value;
		Connection c = null;
		try {
			String query = ReadQuery.statement(gate.query());
			c = ReadingConnection.open(this.connections.dataSource(gate.on()));
			try (PreparedStatement statement = c.prepareStatement(query); ResultSet rs = statement.executeQuery()) {
				value = rs.next() ? rs.getString(1) : null;
			}
		}
		catch (RefusedException ex) {
			return new Measured(null, threshold, false,
					"The query was not run on " + gate.on() + ": " + ex.getMessage(), null);
		}
		catch (SQLException ex) {
			return new Measured(null, threshold, false,
					"The query failed on " + gate.on() + ": " + ex.getMessage().strip(), null);
		}
		finally {
			ReadingConnection.release(c);
		}
		if (value == null) {
			return new Measured("no value", threshold, false, "The query returned no row, or NULL.", null);
		}
		return GateThresholds.bounded(value, gate.bounds(), threshold);
	}

	/** Compares the gate's tables on its connection with the reference connection. */
	Measured schema(SchemaMatchesGate gate, String threshold) {
		ConnectionCatalog on = this.connections.catalog(gate.on())
			.orElseThrow(() -> new IllegalStateException("Connection " + gate.on() + " cannot be reached."));
		ConnectionCatalog reference = this.connections.catalog(gate.reference())
			.orElseThrow(() -> new IllegalStateException("Connection " + gate.reference() + " cannot be reached."));
		List<String> differences = new ArrayList<>();
		for (String name : gate.tables()) {
			Optional<ConnectionCatalog.Table> mine = on.table(name);
			Optional<ConnectionCatalog.Table> theirs = reference.table(name);
			if (mine.isEmpty() || theirs.isEmpty()) {
				if (mine.isPresent() || theirs.isPresent()) {
					differences.add(name + ": only on " + (mine.isPresent() ? gate.on() : gate.reference()));
				}
				else {
					differences.add(name + ": on neither");
				}
				continue;
			}
			differences.addAll(differences(name, mine.get(), theirs.get(), gate));
		}
		String value = differences.isEmpty() ? "no differences"
				: String.format(Locale.ROOT, "%,d difference(s)", differences.size());
		String detail = null;
		if (!differences.isEmpty()) {
			detail = String.join("; ", differences.subList(0, Math.min(DIFFERENCES_NAMED, differences.size())))
					+ (differences.size() > DIFFERENCES_NAMED
							? String.format(Locale.ROOT, "; and %,d more", differences.size() - DIFFERENCES_NAMED) : "")
					+ ".";
		}
		return new Measured(value, threshold, differences.isEmpty(), detail, null);
	}

	private static List<String> differences(String name, ConnectionCatalog.Table mine, ConnectionCatalog.Table theirs,
			SchemaMatchesGate gate) {
		List<String> differences = new ArrayList<>();
		Map<String, ConnectionCatalog.Column> reference = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		theirs.columns().forEach(column -> reference.put(column.name(), column));
		Map<String, ConnectionCatalog.Column> columns = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		mine.columns().forEach(column -> columns.put(column.name(), column));
		for (ConnectionCatalog.Column column : mine.columns()) {
			ConnectionCatalog.Column other = reference.get(column.name());
			if (other == null) {
				differences.add(name + "." + column.name() + ": only on " + gate.on());
			}
			else {
				if (!column.type().equalsIgnoreCase(other.type())) {
					differences.add(name + "." + column.name() + ": " + column.type() + " on " + gate.on() + ", "
							+ other.type() + " on " + gate.reference());
				}
				if (column.nullable() != other.nullable()) {
					differences.add(name + "." + column.name() + ": " + (column.nullable() ? "nullable" : "NOT NULL")
							+ " on " + gate.on() + ", " + (other.nullable() ? "nullable" : "NOT NULL") + " on "
							+ gate.reference());
				}
			}
		}
		for (ConnectionCatalog.Column column : theirs.columns()) {
			if (!columns.containsKey(column.name())) {
				differences.add(name + "." + column.name() + ": only on " + gate.reference());
			}
		}
		List<String> key = mine.primaryKey().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
		List<String> otherKey = theirs.primaryKey().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
		if (!key.equals(otherKey)) {
			differences.add(name + ": primary key " + mine.primaryKey() + " on " + gate.on() + ", "
					+ theirs.primaryKey() + " on " + gate.reference());
		}
		return differences;
	}

}
