package dev.ferry.changeset.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeColumn;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.Rejection;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import org.springframework.stereotype.Component;

/**
 * Reads the rows of a change set: streams them in order with a fetch size, so no change
 * set is held in memory, and turns a row into a {@link Change} with typed values.
 */
@Component
class ChangeRows {

	static final int FETCH_SIZE = 1000;

	/**
	 * Every change of a change set in order, for the seal (its hash) and the downloads:
	 * kept rows are no change, so they are left out.
	 */
	static final String STREAM_QUERY = """
			SELECT seq, op, table_name, key_values, before_values, after_values, reasons_json
			FROM change_rows WHERE run_id = ? AND op <> 'kept' ORDER BY run_id, seq
			""";

	static final TypeReference<List<Rejection>> REASONS = new TypeReference<>() {
	};

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	ChangeRows(JdbcTemplate jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * Streams a change set's rows in order: seq, op, table, key, before, after, reasons.
	 * Ordered by the primary key's columns, so H2 reads the rows in index order instead
	 * of sorting the whole change set first.
	 */
	void stream(long runId, SqlRowHandler handler) {
		this.jdbc.query(connection -> {
			PreparedStatement statement = connection.prepareStatement(STREAM_QUERY, ResultSet.TYPE_FORWARD_ONLY,
					ResultSet.CONCUR_READ_ONLY);
			statement.setFetchSize(FETCH_SIZE);
			statement.setLong(1, runId);
			return statement;
		}, (RowCallbackHandler) rs -> handler.row(new RowValues(rs)));
	}

	Change change(ChangeSet changeSet, ResultSet rs) throws SQLException {
		return change(changeSet, new RowValues(rs));
	}

	Change change(ChangeSet changeSet, RowValues rs) throws SQLException {
		List<String> key = texts(rs.getString(4));
		List<String> before = texts(rs.getString(5));
		List<String> after = texts(rs.getString(6));
		String reasons = rs.getString(7);
		List<String> changed = new ArrayList<>();
		if (before != null && after != null) {
			for (int i = 0; i < changeSet.columns().size(); i++) {
				if (!java.util.Objects.equals(before.get(i), after.get(i))) {
					changed.add(changeSet.columns().get(i).name());
				}
			}
		}
		return new Change(rs.getLong(1), rs.getString(3), ChangeOp.of(rs.getString(2)).orElseThrow(),
				keyMap(changeSet, key), valueMap(changeSet, before), valueMap(changeSet, after), List.copyOf(changed),
				reasons == null ? List.of() : this.json.readValue(reasons, REASONS));
	}

	static List<String> texts(String json) {
		return CanonicalJson.parseArray(json);
	}

	private static Map<String, Object> keyMap(ChangeSet changeSet, List<String> key) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (int i = 0; i < changeSet.key().size(); i++) {
			String name = changeSet.key().get(i);
			String type = changeSet.columns()
				.stream()
				.filter(c -> c.name().equals(name))
				.map(ChangeColumn::type)
				.findFirst()
				.orElse("string");
			values.put(name, typed(type, i < key.size() ? key.get(i) : null));
		}
		return values;
	}

	private static Map<String, Object> valueMap(ChangeSet changeSet, List<String> texts) {
		if (texts == null) {
			return null;
		}
		Map<String, Object> values = new LinkedHashMap<>();
		for (int i = 0; i < changeSet.columns().size(); i++) {
			ChangeColumn column = changeSet.columns().get(i);
			values.put(column.name(), typed(column.type(), i < texts.size() ? texts.get(i) : null));
		}
		return values;
	}

	/** A canonical text as JSON wants it: numbers as numbers, booleans as booleans. */
	static Object typed(String type, String text) {
		if (text == null) {
			return null;
		}
		try {
			return switch (type) {
				case "integer" -> {
					BigInteger value = new BigInteger(text);
					yield value.bitLength() < 64 ? (Object) value.longValue() : value;
				}
				case "decimal" -> new BigDecimal(text);
				case "boolean" -> "true".equals(text) ? Boolean.TRUE : "false".equals(text) ? Boolean.FALSE : text;
				default -> text;
			};
		}
		catch (NumberFormatException ex) {
			// a rejected row keeps the text that failed its rule
			return text;
		}
	}

	/** A row of the streamed change rows, by column position. */
	record RowValues(ResultSet rs) {

		long getLong(int column) throws SQLException {
			return this.rs.getLong(column);
		}

		String getString(int column) throws SQLException {
			return this.rs.getString(column);
		}

	}

	@FunctionalInterface
	interface SqlRowHandler {

		void row(RowValues row) throws SQLException;

	}

}
