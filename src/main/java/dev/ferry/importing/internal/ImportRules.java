package dev.ferry.importing.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Clob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.Normalization;

/**
 * The value rules of one import phase, compiled once so a dry run can stream millions of
 * rows through them: every pattern, formatter, normalized {@code null-if} entry and
 * default is prepared in the constructor, and a row costs its values array plus the
 * strings its normalizations make.
 * <p>
 * Values come out in one canonical type per column (string {@link String}, integer
 * {@link Long}, decimal {@link BigDecimal}, boolean {@link Boolean}, date
 * {@link LocalDate}, timestamp {@link LocalDateTime}), so a source value and a target
 * value read back with {@link #fromTarget} compare with {@link #same} whatever the
 * drivers returned.
 */
final class ImportRules {

	private static final String[] TRUE_WORDS = { "true", "yes", "y", "1" };

	private static final String[] FALSE_WORDS = { "false", "no", "n", "0" };

	private static final String BOOLEAN_WORDS = "true/false, yes/no, y/n, 1/0";

	private static final String ISO_TIMESTAMP_FORMS = "yyyy-MM-ddTHH:mm:ss or yyyy-MM-dd HH:mm:ss";

	private static final int MAX_SHOWN_VALUE = 80;

	/** ISO dates; the JDK's formatter already resolves strictly (no February 30th). */
	private static final DateTimeFormatter ISO_DATE = DateTimeFormatter.ISO_LOCAL_DATE;

	/** ISO dates read without the formatter when they have exactly four year digits. */
	private static final FixedDate ISO_DATE_FIXED = FixedDate.of("uuuu-MM-dd");

	private static final DateTimeFormatter ISO_TIMESTAMP_T = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

	/** What databases and spreadsheets write: a space instead of the {@code T}. */
	private static final DateTimeFormatter ISO_TIMESTAMP_SPACE = new DateTimeFormatterBuilder().parseCaseInsensitive()
		.append(DateTimeFormatter.ISO_LOCAL_DATE)
		.appendLiteral(' ')
		.append(DateTimeFormatter.ISO_LOCAL_TIME)
		.toFormatter(Locale.ROOT)
		.withResolverStyle(ResolverStyle.STRICT)
		.withChronology(IsoChronology.INSTANCE);

	/** A conversion that failed; a marker instead of an exception per bad value. */
	private static final Object NOT_CONVERTED = new Object();

	/** An integer conversion that failed only because the number is too large. */
	private static final Object OUT_OF_RANGE = new Object();

	private final List<String> targetColumns;

	private final List<String> keyColumns;

	private final int[] keyIndexes;

	private final List<String> sourceColumns;

	private final Column[] columns;

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
		this.columns = new Column[this.targetColumns.size()];
		for (int i = 0; i < this.columns.length; i++) {
			String name = this.targetColumns.get(i);
			ColumnRule rule = phase.columns().get(name);
			int source = sources.computeIfAbsent(rule.from(), (from) -> sources.size());
			this.columns[i] = new Column(name, rule, source, key[i]);
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
			Column column = this.columns[i];
			Rejection rejection = null;
			Object value = null;
			String nulledText = null;
			Object raw = source.apply(column.source);
			if (raw != null) {
				Object input = raw;
				if (isText(raw) || column.normalizes) {
					String text = Normalization.apply(column.normalize, textOf(raw));
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
					String text = textOf(raw);
					if (column.nullIf.contains(text)) {
						nulledText = text;
						input = null;
					}
				}
				if (input != null) {
					Object converted = column.fromSource(input);
					if (converted == NOT_CONVERTED || converted == OUT_OF_RANGE) {
						rejection = column.typeRejection((input instanceof String text) ? text : textOf(raw),
								converted == OUT_OF_RANGE);
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
					String message = (nulledText != null)
							? column.name + ": " + quoted(nulledText)
									+ " means no value (null-if), and the column is required."
							: column.name + ": no value, and the column is required.";
					rejection = new Rejection(column.name, nulledText, "required", message);
				}
				else if (value == null && column.key) {
					rejection = new Rejection(column.name, nulledText, "key",
							column.name + ": the key column has no value.");
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
		Object value = isText(jdbcValue) ? textOf(jdbcValue) : jdbcValue;
		Object converted = switch (this.columns[column].type) {
			case STRING -> textOf(value);
			case INTEGER -> integer(value);
			case DECIMAL -> decimal(value);
			case BOOLEAN -> bool(value);
			case DATE -> date(value, ISO_DATE, ISO_DATE_FIXED);
			case TIMESTAMP -> timestamp(value, null);
		};
		return (converted == NOT_CONVERTED || converted == OUT_OF_RANGE) ? textOf(value) : converted;
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
			return timestampText(timestamp);
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
			return toDecimal(x).compareTo(toDecimal(y));
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

	private static BigDecimal toDecimal(Number number) {
		if (number instanceof BigDecimal decimal) {
			return decimal;
		}
		if (number instanceof BigInteger integer) {
			return new BigDecimal(integer);
		}
		if (number instanceof Double || number instanceof Float) {
			return BigDecimal.valueOf(number.doubleValue());
		}
		return BigDecimal.valueOf(number.longValue());
	}

	private static boolean isText(Object raw) {
		return raw instanceof String || raw instanceof byte[] || raw instanceof Clob || raw instanceof char[]
				|| raw instanceof Character;
	}

	/**
	 * The natural text of a raw value: text as it is, numbers in plain digits (a whole
	 * double without {@code .0}), dates and timestamps in ISO form.
	 */
	private static String textOf(Object raw) {
		if (raw instanceof String text) {
			return text;
		}
		if (raw instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		if (raw instanceof char[] chars) {
			return new String(chars);
		}
		if (raw instanceof Clob clob) {
			return clobText(clob);
		}
		if (raw instanceof BigDecimal decimal) {
			return decimal.toPlainString();
		}
		if (raw instanceof Double || raw instanceof Float) {
			double number = ((Number) raw).doubleValue();
			if (!Double.isFinite(number)) {
				return raw.toString();
			}
			BigDecimal decimal = BigDecimal.valueOf(number);
			return (decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0)
					? decimal.toBigInteger().toString() : decimal.toPlainString();
		}
		if (raw instanceof java.sql.Date date) {
			return date.toLocalDate().toString();
		}
		if (raw instanceof Timestamp timestamp) {
			return timestampText(timestamp.toLocalDateTime());
		}
		if (raw instanceof LocalDateTime timestamp) {
			return timestampText(timestamp);
		}
		return raw.toString();
	}

	private static String clobText(Clob clob) {
		try {
			long length = clob.length();
			return (length == 0) ? "" : clob.getSubString(1, Math.toIntExact(length));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read a CLOB value: " + ex.getMessage(), ex);
		}
	}

	private static String timestampText(LocalDateTime timestamp) {
		StringBuilder text = new StringBuilder(29).append(timestamp.toLocalDate()).append('T');
		appendTwoDigits(text, timestamp.getHour()).append(':');
		appendTwoDigits(text, timestamp.getMinute()).append(':');
		appendTwoDigits(text, timestamp.getSecond());
		int nanos = timestamp.getNano();
		if (nanos != 0) {
			String fraction = Integer.toString(1_000_000_000 + nanos).substring(1);
			int end = fraction.length();
			while (fraction.charAt(end - 1) == '0') {
				end--;
			}
			text.append('.').append(fraction, 0, end);
		}
		return text.toString();
	}

	private static StringBuilder appendTwoDigits(StringBuilder text, int number) {
		return text.append((char) ('0' + number / 10)).append((char) ('0' + number % 10));
	}

	private static String quoted(String value) {
		String shown = (value.length() > MAX_SHOWN_VALUE) ? value.substring(0, MAX_SHOWN_VALUE) + "…" : value;
		return "\"" + shown + "\"";
	}

	// Conversions return the canonical value or NOT_CONVERTED / OUT_OF_RANGE. Text given
	// to them is taken as it is: stripping source text is the caller's business.

	private static Object integer(Object value) {
		if (value instanceof String text) {
			return parseInteger(text);
		}
		if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
			return ((Number) value).longValue();
		}
		if (value instanceof BigInteger integer) {
			return (integer.bitLength() < Long.SIZE) ? (Object) integer.longValue() : OUT_OF_RANGE;
		}
		if (value instanceof BigDecimal decimal) {
			return wholeNumber(decimal);
		}
		if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			return Double.isFinite(number) ? wholeNumber(BigDecimal.valueOf(number)) : NOT_CONVERTED;
		}
		return parseInteger(textOf(value));
	}

	private static Object wholeNumber(BigDecimal decimal) {
		if (decimal.signum() == 0) {
			return 0L;
		}
		BigDecimal stripped = decimal.stripTrailingZeros();
		if (stripped.scale() > 0) {
			return NOT_CONVERTED;
		}
		// a long has at most 19 digits; checking first keeps 1E+999999 from being
		// expanded
		if (stripped.precision() - stripped.scale() > 19) {
			return OUT_OF_RANGE;
		}
		try {
			return stripped.longValueExact();
		}
		catch (ArithmeticException ex) {
			return OUT_OF_RANGE;
		}
	}

	private static Object parseInteger(String text) {
		int start = (!text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-')) ? 1 : 0;
		if (start == text.length()) {
			return NOT_CONVERTED;
		}
		for (int i = start; i < text.length(); i++) {
			char ch = text.charAt(i);
			// ASCII only: Long.parseLong would take other scripts' digits too
			if (ch < '0' || ch > '9') {
				return NOT_CONVERTED;
			}
		}
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			return OUT_OF_RANGE;
		}
	}

	private static Object decimal(Object value) {
		if (value instanceof String text) {
			return parseDecimal(text);
		}
		if (value instanceof BigDecimal decimal) {
			return decimal;
		}
		if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
			return BigDecimal.valueOf(((Number) value).longValue());
		}
		if (value instanceof BigInteger integer) {
			return new BigDecimal(integer);
		}
		if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			// through the shortest decimal text: 0.1 stays 0.1, not
			// 0.1000000000000000055...
			return Double.isFinite(number) ? BigDecimal.valueOf(number) : NOT_CONVERTED;
		}
		return parseDecimal(textOf(value));
	}

	/**
	 * Plain decimals only: sign, digits, point, digits ({@code .5} and {@code 5.} too).
	 */
	private static Object parseDecimal(String text) {
		int start = (!text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-')) ? 1 : 0;
		boolean digits = false;
		boolean point = false;
		for (int i = start; i < text.length(); i++) {
			char ch = text.charAt(i);
			if (ch >= '0' && ch <= '9') {
				digits = true;
			}
			else if (ch == '.' && !point) {
				point = true;
			}
			else {
				return NOT_CONVERTED;
			}
		}
		return digits ? new BigDecimal(text) : NOT_CONVERTED;
	}

	private static Object bool(Object value) {
		if (value instanceof String text) {
			return parseBoolean(text);
		}
		if (value instanceof Boolean) {
			return value;
		}
		if (value instanceof Number number) {
			if (number instanceof Double || number instanceof Float) {
				double x = number.doubleValue();
				return (x == 1) ? Boolean.TRUE : (x == 0) ? Boolean.FALSE : NOT_CONVERTED;
			}
			BigDecimal decimal = toDecimal(number);
			return (decimal.compareTo(BigDecimal.ONE) == 0) ? Boolean.TRUE
					: (decimal.signum() == 0) ? Boolean.FALSE : NOT_CONVERTED;
		}
		return parseBoolean(textOf(value));
	}

	private static Object parseBoolean(String text) {
		for (int i = 0; i < TRUE_WORDS.length; i++) {
			if (TRUE_WORDS[i].equalsIgnoreCase(text)) {
				return Boolean.TRUE;
			}
			if (FALSE_WORDS[i].equalsIgnoreCase(text)) {
				return Boolean.FALSE;
			}
		}
		return NOT_CONVERTED;
	}

	/**
	 * @param fixed the same pattern read without the formatter, or {@code null}: tried
	 * first, the formatter decides whatever it does not take
	 */
	private static Object date(Object value, DateTimeFormatter format, FixedDate fixed) {
		if (value instanceof String text) {
			LocalDate quick = (fixed != null) ? fixed.parse(text) : null;
			if (quick != null) {
				return quick;
			}
			try {
				return format.parse(text, LocalDate::from);
			}
			catch (DateTimeParseException ex) {
				return NOT_CONVERTED;
			}
		}
		if (value instanceof LocalDate) {
			return value;
		}
		if (value instanceof java.sql.Date date) {
			return date.toLocalDate();
		}
		if (value instanceof Timestamp timestamp) {
			return timestamp.toLocalDateTime().toLocalDate();
		}
		if (value instanceof LocalDateTime timestamp) {
			return timestamp.toLocalDate();
		}
		if (value instanceof OffsetDateTime timestamp) {
			return timestamp.toLocalDate();
		}
		if (value instanceof ZonedDateTime timestamp) {
			return timestamp.toLocalDate();
		}
		return date(textOf(value), format, fixed);
	}

	/**
	 * @param format the plan's pattern, or {@code null} for ISO with a T or a space
	 */
	private static Object timestamp(Object value, DateTimeFormatter format) {
		if (value instanceof String text) {
			try {
				if (format == null) {
					return ((text.indexOf(' ') >= 0) ? ISO_TIMESTAMP_SPACE : ISO_TIMESTAMP_T).parse(text,
							LocalDateTime::from);
				}
				// a pattern without a time of day gives midnight
				TemporalAccessor parsed = format.parseBest(text, LocalDateTime::from, LocalDate::from);
				return (parsed instanceof LocalDate date) ? date.atStartOfDay() : parsed;
			}
			catch (DateTimeParseException ex) {
				return NOT_CONVERTED;
			}
		}
		if (value instanceof LocalDateTime) {
			return value;
		}
		if (value instanceof Timestamp timestamp) {
			return timestamp.toLocalDateTime();
		}
		if (value instanceof OffsetDateTime timestamp) {
			return timestamp.toLocalDateTime();
		}
		if (value instanceof ZonedDateTime timestamp) {
			return timestamp.toLocalDateTime();
		}
		if (value instanceof LocalDate date) {
			return date.atStartOfDay();
		}
		if (value instanceof java.sql.Date date) {
			return date.toLocalDate().atStartOfDay();
		}
		return timestamp(textOf(value), format);
	}

	/**
	 * The plan's pattern, parsed strictly and without regard to case, with English month
	 * and day names. STRICT resolution needs an era for {@code yyyy} (year of era), which
	 * people write far more often than {@code uuuu}: the current era is assumed.
	 */
	static DateTimeFormatter pattern(String format) {
		return new DateTimeFormatterBuilder().parseCaseInsensitive()
			.appendPattern(format)
			.parseDefaulting(ChronoField.ERA, 1)
			.toFormatter(Locale.ENGLISH)
			.withResolverStyle(ResolverStyle.STRICT)
			.withChronology(IsoChronology.INSTANCE);
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

	/**
	 * A date pattern made of {@code dd}, {@code MM} and {@code yyyy} (or {@code uuuu}),
	 * once each, and literal characters that are neither letters nor digits, such as
	 * {@code dd.MM.yyyy}: every value it can match has the same length and its digits at
	 * the same places, so it is read by position, without the formatter, which costs a
	 * map of parsed fields and a resolution per value (about 0.3 s of the 2.2 s that
	 * reading and normalizing the 1M source rows of the benchmark took). It only takes
	 * what the formatter reads the same way: a value of the exact shape whose date
	 * exists, in a year other than 0 (which the plan's patterns reject, their era being
	 * the current one, and ISO accepts); anything else it leaves to the formatter, which
	 * accepts or rejects it as before.
	 */
	static final class FixedDate {

		/** The pattern with {@code #} for each digit. */
		private final String shape;

		private final int day;

		private final int month;

		private final int year;

		private FixedDate(String shape, int day, int month, int year) {
			this.shape = shape;
			this.day = day;
			this.month = month;
			this.year = year;
		}

		/** The fixed reading of a pattern, or {@code null} when it has none. */
		static FixedDate of(String pattern) {
			StringBuilder shape = new StringBuilder(pattern.length());
			int day = -1;
			int month = -1;
			int year = -1;
			int i = 0;
			while (i < pattern.length()) {
				char ch = pattern.charAt(i);
				int end = i;
				while (end < pattern.length() && pattern.charAt(end) == ch) {
					end++;
				}
				int width = end - i;
				if (ch == 'd' && width == 2 && day < 0) {
					day = i;
				}
				else if (ch == 'M' && width == 2 && month < 0) {
					month = i;
				}
				else if ((ch == 'y' || ch == 'u') && width == 4 && year < 0) {
					year = i;
				}
				else if (Character.isLetterOrDigit(ch) || "'[]{}#".indexOf(ch) >= 0 || ch > 0x7e || ch < 0x20) {
					return null;
				}
				else {
					shape.append(pattern, i, end);
					i = end;
					continue;
				}
				shape.append("#".repeat(width));
				i = end;
			}
			return (day < 0 || month < 0 || year < 0) ? null : new FixedDate(shape.toString(), day, month, year);
		}

		/** The date, or {@code null} when the formatter has to decide. */
		LocalDate parse(String text) {
			if (text.length() != this.shape.length()) {
				return null;
			}
			for (int i = 0; i < text.length(); i++) {
				char expected = this.shape.charAt(i);
				char ch = text.charAt(i);
				if ((expected == '#') ? (ch < '0' || ch > '9') : ch != expected) {
					return null;
				}
			}
			int y = digits(text, this.year, 4);
			int m = digits(text, this.month, 2);
			int d = digits(text, this.day, 2);
			if (y == 0 || m < 1 || m > 12 || d < 1
					|| d > java.time.Month.of(m).length(IsoChronology.INSTANCE.isLeapYear(y))) {
				return null;
			}
			return LocalDate.of(y, m, d);
		}

		private static int digits(String text, int at, int width) {
			int value = 0;
			for (int i = at; i < at + width; i++) {
				value = value * 10 + (text.charAt(i) - '0');
			}
			return value;
		}

	}

	private static final class Column {

		final String name;

		final ColumnRule.Type type;

		final int source;

		final List<Normalization> normalize;

		final boolean normalizes;

		final Set<String> nullIf;

		final boolean required;

		final boolean key;

		/** The plan's pattern, {@code null} for ISO. */
		final DateTimeFormatter format;

		/** A date pattern of fixed-width numbers read without the formatter, or null. */
		final FixedDate fixedFormat;

		final String typeRule;

		/**
		 * What a good value is, for messages: "an integer", "a date in the format ...".
		 */
		final String expected;

		final Object defaultValue;

		/**
		 * Set when the plan's default does not convert: every row needing it is rejected.
		 */
		final Rejection defaultRejection;

		Column(String name, ColumnRule rule, int source, boolean key) {
			this.name = name;
			this.key = key;
			this.type = rule.type();
			this.source = source;
			this.normalize = rule.normalize();
			this.normalizes = !this.normalize.isEmpty();
			Set<String> nullIf = new HashSet<>();
			for (String entry : rule.nullIf()) {
				nullIf.add(Normalization.apply(this.normalize, entry));
			}
			this.nullIf = nullIf;
			this.required = rule.required();
			boolean temporal = this.type == ColumnRule.Type.DATE || this.type == ColumnRule.Type.TIMESTAMP;
			this.format = (temporal && rule.format() != null) ? pattern(rule.format()) : null;
			this.fixedFormat = (this.type == ColumnRule.Type.DATE && rule.format() != null)
					? FixedDate.of(rule.format()) : null;
			String formatNote = (this.format != null) ? " (format " + rule.format() + ")" : "";
			this.typeRule = "type " + this.type.yamlName() + formatNote;
			this.expected = switch (this.type) {
				case STRING -> "a string";
				case INTEGER -> "an integer";
				case DECIMAL -> "a decimal number";
				case BOOLEAN -> "a boolean (" + BOOLEAN_WORDS + ")";
				case DATE -> "a date in the format " + ((this.format != null) ? rule.format() : "yyyy-MM-dd");
				case TIMESTAMP -> (this.format != null) ? "a timestamp in the format " + rule.format()
						: "a timestamp (" + ISO_TIMESTAMP_FORMS + ")";
			};
			Object defaultValue = (rule.defaultValue() != null) ? defaultValue(rule.defaultValue()) : null;
			if (defaultValue == NOT_CONVERTED || defaultValue == OUT_OF_RANGE) {
				this.defaultValue = null;
				this.defaultRejection = new Rejection(name, rule.defaultValue(), "default",
						name + ": no value, and the default " + quoted(rule.defaultValue()) + " is not " + this.expected
								+ ".");
			}
			else {
				this.defaultValue = defaultValue;
				this.defaultRejection = null;
			}
		}

		/**
		 * The default as the plan's validation accepts it: decimals may have an exponent,
		 * dates and timestamps may be ISO even when the column has a pattern.
		 */
		private Object defaultValue(String text) {
			if (this.type == ColumnRule.Type.STRING) {
				return text;
			}
			String stripped = Normalization.TRIM.apply(text);
			Object value = fromSource(stripped);
			if (value != NOT_CONVERTED) {
				return value;
			}
			if (this.type == ColumnRule.Type.DECIMAL) {
				try {
					return new BigDecimal(stripped);
				}
				catch (NumberFormatException ex) {
					return NOT_CONVERTED;
				}
			}
			if (this.type == ColumnRule.Type.DATE && this.format != null) {
				return date(stripped, ISO_DATE, ISO_DATE_FIXED);
			}
			if (this.type == ColumnRule.Type.TIMESTAMP && this.format != null) {
				return timestamp(stripped, null);
			}
			return value;
		}

		/** Converts normalized source text, or a raw value that is not text. */
		Object fromSource(Object input) {
			if (this.type == ColumnRule.Type.STRING) {
				return textOf(input);
			}
			// surrounding whitespace never makes a number or a date wrong
			Object value = (input instanceof String text) ? Normalization.TRIM.apply(text) : input;
			return switch (this.type) {
				case STRING -> value;
				case INTEGER -> integer(value);
				case DECIMAL -> decimal(value);
				case BOOLEAN -> bool(value);
				case DATE -> (this.format != null) ? date(value, this.format, this.fixedFormat)
						: date(value, ISO_DATE, ISO_DATE_FIXED);
				case TIMESTAMP -> timestamp(value, this.format);
			};
		}

		Rejection typeRejection(String text, boolean outOfRange) {
			String message = outOfRange
					? this.name + ": " + quoted(text) + " is out of the integer range (" + Long.MIN_VALUE + " to "
							+ Long.MAX_VALUE + ")."
					: this.name + ": " + quoted(text) + " is not " + this.expected + ".";
			return new Rejection(this.name, text, this.typeRule, message);
		}

	}

}
