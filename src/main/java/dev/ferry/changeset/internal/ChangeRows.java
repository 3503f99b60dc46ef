package dev.ferry.changeset.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
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


import org.springframework.stereotype.Component;

/**
 * Reads the rows of a change set: streams them in order with a fetch size, so no change
 * set is held in memory, and turns a row into a {@link Change} with typed values.
 */
@Component
class ChangeRows {

	static final TypeReference<List<Rejection>> REASONS = new TypeReference<>() {
	};

	private final ChangeSegments segments;

	private final JsonMapper json;

	ChangeRows(ChangeSegments segments, JsonMapper json) {
		this.segments = segments;
		this.json = json;
	}

	/**
	 * Streams a change set's changes in order (kept rows are no change: left out), a few
	 * segments at a time, so no change set is held in memory: for the seal (its hash) and
	 * the downloads.
	 */
	void stream(long runId, SqlRowHandler handler) {
		this.segments.scan(runId, ChangeSegments.SegmentFilter.CHANGES, null, false, row -> {
			try {
				handler.row(new RowValues(row));
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex.getMessage(), ex);
			}
			return true;
		});
	}

	Change change(ChangeSet changeSet, SegmentRow row) throws SQLException {
		return change(changeSet, new RowValues(row));
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

	/**
	 * A change row by the positions its queries had: 1 seq, 2 op, 3 table, 4 key, 5 before,
	 * 6 after, 7 reasons.
	 */
	record RowValues(SegmentRow row) {

		long getLong(int column) {
			if (column != 1) {
				throw new IllegalArgumentException("Column " + column + " of a change row is not a number.");
			}
			return this.row.seq();
		}

		String getString(int column) {
			return switch (column) {
				case 1 -> String.valueOf(this.row.seq());
				case 2 -> this.row.op();
				case 3 -> this.row.table();
				case 4 -> this.row.key();
				case 5 -> this.row.before();
				case 6 -> this.row.after();
				case 7 -> this.row.reasons();
				default -> throw new IllegalArgumentException("A change row has no column " + column + ".");
			};
		}

	}

	@FunctionalInterface
	interface SqlRowHandler {

		void row(RowValues row) throws SQLException;

	}

}
