package dev.ferry.importing.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.Normalization;

/**
 * Applies the column rules of one import phase to source rows, giving each value its
 * column's canonical form, and compares, orders and writes canonical values. The rules
 * are compiled once ({@link ImportColumn}) so a dry run can stream millions of rows
 * through them: a row costs its values array plus the strings its normalizations make.
 * <p>
 * Values come out in one canonical type per column (string {@link String}, integer
 * {@link Long}, decimal {@link BigDecimal}, boolean {@link Boolean}, date
 * {@link LocalDate}, timestamp {@link LocalDateTime}), so a source value and a target
 * value read back with {@link #fromTarget} compare with {@link #same} whatever the
 * drivers returned.
 */
final class ImportRules {

	private final List<String> targetColumns;

	private final List<String> keyColumns;

	private final int[] keyIndexes;

	private final List<String> sourceColumns;

	private final ImportColumn[] columns;

	private ImportRules(ImportPhase phase) {
		this.targetColumns = List.copyOf(phase.columns().keySet());
		this.keyColumns = phase.key();
		this.keyIndexes = new int[this.keyColumns.size()];
		boolean[] key = new boolean[this.targetColumns.size()];
		for (int k = 0; k < this.keyIndexes.length; k++) {
			this.keyIndexes[k] = columnIndex(this.keyColumns.get(k));
			key[this.keyIndexes[k]] = true;
		}
		Map<String, Integer> sources = new LinkedHashMap<>();
		this.columns = new ImportColumn[this.targetColumns.size()];
		for (int i = 0; i < this.columns.length; i++) {
			String name = this.targetColumns.get(i);
			ColumnRule rule = phase.columns().get(name);
			int source = sources.computeIfAbsent(rule.from(), (from) -> sources.size());
			this.columns[i] = new ImportColumn(name, rule, source, key[i]);
		}
		this.sourceColumns = List.copyOf(sources.keySet());
	}

	static ImportRules of(ImportPhase phase) {
		return new ImportRules(phase);
	}

	/** The target columns in the order the plan lists them. */
	List<String> targetColumns() {
		return this.targetColumns;
	}

	List<String> keyColumns() {
		return this.keyColumns;
	}

	/** The positions of the key columns in {@link #targetColumns()}, in key order. */
	int[] keyIndexes() {
		return this.keyIndexes.clone();
	}

	/** The distinct source columns the rules read, in order of first use. */
	List<String> sourceColumns() {
		return this.sourceColumns;
	}

	ColumnRule.Type type(int column) {
		return this.columns[column].type;
	}

	/**
	 * Normalizes one source row.
	 * @param source the raw JDBC value ({@code getObject}) of a source column by its
	 * index in {@link #sourceColumns()}
	 * @return the canonical values in {@link #targetColumns()} order, with every rule the
	 * row broke
	 */
	Outcome apply(IntFunction<Object> source) {
		Object[] values = new Object[this.columns.length];
		List<Rejection> rejections = null;
		for (int i = 0; i < this.columns.length; i++) {
			ImportColumn column = this.columns[i];
			Rejection rejection = null;
			Object value = null;
			String nulledText = null;
			Object raw = source.apply(column.source);
			if (raw != null) {
				Object input = raw;
				if (ValueConversions.isText(raw) || column.normalizes) {
					String text = Normalization.apply(column.normalize, ValueConversions.textOf(raw));
					if (column.nullIf.contains(text)) {
						nulledText = text;
						input = null;
					}
					else {
						input = text;
					}
				}
				else if (!column.nullIf.isEmpty()) {
					// null-if entries are text: match the natural text, convert the value
					String text = ValueConversions.textOf(raw);
					if (column.nullIf.contains(text)) {
						nulledText = text;
						input = null;
					}
				}
				if (input != null) {
					Object converted = column.fromSource(input);
					if (ValueConversions.failed(converted)) {
						rejection = column.typeRejection(
								(input instanceof String text) ? text : ValueConversions.textOf(raw),
								converted == ValueConversions.OUT_OF_RANGE);
					}
					else {
						value = converted;
					}
				}
			}
			if (value == null && rejection == null) {
				value = column.defaultValue;
				if (column.defaultRejection != null) {
					rejection = column.defaultRejection;
				}
				else if (value == null && column.required) {
					rejection = column.requiredRejection(nulledText);
				}
				else if (value == null && column.key) {
					rejection = column.keyRejection(nulledText);
				}
			}
			if (rejection != null) {
				if (rejections == null) {
					rejections = new ArrayList<>(2);
				}
				rejections.add(rejection);
				value = null;
			}
			values[i] = value;
		}
		return new Outcome(values, (rejections != null) ? Collections.unmodifiableList(rejections) : List.of());
	}

	/**
	 * Converts a value read from the target table ({@code getObject}) into the canonical
	 * form of the column's type, so it compares with {@link #apply}'s values. Target text
	 * is read as stored: not normalized, not stripped, dates and timestamps in ISO form
	 * whatever the column's {@code format} (which describes the source).
	 * @param column the index of the column in {@link #targetColumns()}
	 * @param jdbcValue the value read
	 * @return the canonical value, or the value's text when it cannot be converted (so it
	 * differs and the row becomes an update, never a failed run)
	 */
	Object fromTarget(int column, Object jdbcValue) {
		if (jdbcValue == null) {
			return null;
		}
		Object value = ValueConversions.isText(jdbcValue) ? ValueConversions.textOf(jdbcValue) : jdbcValue;
		Object converted = switch (this.columns[column].type) {
			case STRING -> ValueConversions.textOf(value);
			case INTEGER -> ValueConversions.integer(value);
			case DECIMAL -> ValueConversions.decimal(value);
			case BOOLEAN -> ValueConversions.bool(value);
			case DATE -> ValueConversions.isoDate(value);
			case TIMESTAMP -> ValueConversions.timestamp(value, null);
		};
		return ValueConversions.failed(converted) ? ValueConversions.textOf(value) : converted;
	}

	/**
	 * Whether two canonical values of a column are the same: decimals by value (1.50 is
	 * 1.5), NULL only to NULL.
	 */
	boolean same(int column, Object a, Object b) {
		if (a == null || b == null) {
			return a == b;
		}
		if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
			return x.compareTo(y) == 0;
		}
		return a.equals(b);
	}

	/**
	 * The canonical text of a canonical value: numbers plain and without trailing zeros
	 * ({@code 0} for any zero), booleans {@code true}/{@code false}, dates
	 * {@code yyyy-MM-dd}, timestamps {@code yyyy-MM-ddTHH:mm:ss} with a fraction only
	 * when there is one (without trailing zeros), strings as they are.
	 */
	static String text(Object canonical) {
		if (canonical == null || canonical instanceof String) {
			return (String) canonical;
		}
		if (canonical instanceof BigDecimal decimal) {
			return (decimal.signum() == 0) ? "0" : decimal.stripTrailingZeros().toPlainString();
		}
		if (canonical instanceof Double || canonical instanceof Float) {
			double number = ((Number) canonical).doubleValue();
			return Double.isFinite(number) ? text(BigDecimal.valueOf(number)) : canonical.toString();
		}
		if (canonical instanceof LocalDateTime timestamp) {
			return ValueConversions.timestampText(timestamp);
		}
		return canonical.toString();
	}

	/**
	 * Orders key tuples: numbers by value (a {@link Long} and a {@link BigDecimal}
	 * compare numerically), strings by Unicode code point (so a character beyond U+FFFF
	 * sorts after U+FFFD, which {@link String#compareTo} gets wrong), {@code false}
	 * before {@code true}, dates and timestamps chronologically. Values of different
	 * kinds (a target value that did not convert is a string) are ordered by kind, so the
	 * order stays total; NULL, which a key never holds, comes first.
	 */
	static int compareKeys(Object[] a, Object[] b) {
		int common = Math.min(a.length, b.length);
		for (int i = 0; i < common; i++) {
			int order = compareValues(a[i], b[i]);
			if (order != 0) {
				return order;
			}
		}
		return Integer.compare(a.length, b.length);
	}

	private int columnIndex(String name) {
		int index = this.targetColumns.indexOf(name);
		for (int i = 0; index < 0 && i < this.targetColumns.size(); i++) {
			// the plan checks key names against the columns without regard to case
			if (this.targetColumns.get(i).equalsIgnoreCase(name)) {
				index = i;
			}
		}
		if (index < 0) {
			throw new IllegalArgumentException("Key column '" + name + "' is not one of the columns");
		}
		return index;
	}

	private static int compareValues(Object a, Object b) {
		int kindA = kind(a);
		int kindB = kind(b);
		if (kindA != kindB) {
			return Integer.compare(kindA, kindB);
		}
		if (a instanceof Long x && b instanceof Long y) {
			return Long.compare(x, y);
		}
		if (a instanceof Number x && b instanceof Number y) {
			return ValueConversions.toDecimal(x).compareTo(ValueConversions.toDecimal(y));
		}
		if (a instanceof String x && b instanceof String y) {
			return compareCodePoints(x, y);
		}
		if (a instanceof Boolean x && b instanceof Boolean y) {
			return Boolean.compare(x, y);
		}
		if (a instanceof LocalDate x && b instanceof LocalDate y) {
			return x.compareTo(y);
		}
		if (a instanceof LocalDateTime x && b instanceof LocalDateTime y) {
			return x.compareTo(y);
		}
		return (a == null) ? 0 : compareCodePoints(a.toString(), b.toString());
	}

	private static int kind(Object value) {
		if (value == null) {
			return 0;
		}
		if (value instanceof Boolean) {
			return 1;
		}
		if (value instanceof Number) {
			return 2;
		}
		if (value instanceof LocalDate) {
			return 3;
		}
		if (value instanceof LocalDateTime) {
			return 4;
		}
		return (value instanceof String) ? 5 : 6;
	}

	/**
	 * UTF-16 order differs from code point order only where a surrogate meets a character
	 * from U+E000 up: lifting surrogates above those at the first difference gives code
	 * point order without decoding the strings.
	 */
	private static int compareCodePoints(String a, String b) {
		int common = Math.min(a.length(), b.length());
		for (int i = 0; i < common; i++) {
			char x = a.charAt(i);
			char y = b.charAt(i);
			if (x != y) {
				return Integer.compare(codePointRank(x), codePointRank(y));
			}
		}
		return Integer.compare(a.length(), b.length());
	}

	private static int codePointRank(char ch) {
		if (ch >= '\uE000') {
			return ch - 0x800;
		}
		return Character.isSurrogate(ch) ? ch + 0x2000 : ch;
	}

	/**
	 * The outcome of one source row.
	 *
	 * @param values the canonical values in target column order, {@code null} where a
	 * column was rejected
	 * @param rejections every rule the row broke, empty for a good row
	 */
	record Outcome(Object[] values, List<Rejection> rejections) {

		boolean rejected() {
			return !this.rejections.isEmpty();
		}

	}

	/**
	 * A value that broke a rule.
	 *
	 * @param column the target column
	 * @param value the text that failed (normalized), {@code null} when there was none
	 * @param rule the rule, e.g. {@code type integer}, {@code type date (format
	 * dd/MM/yyyy)}, {@code required}, {@code default}, {@code key}
	 * @param message one English sentence naming the column, the value and the rule
	 */
	record Rejection(String column, String value, String rule, String message) {
	}

}
