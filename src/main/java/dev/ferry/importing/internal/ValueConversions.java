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
import java.util.Locale;

/**
 * Converts raw JDBC values and text into the canonical value of a column type
 * ({@link Long}, {@link BigDecimal}, {@link Boolean}, {@link LocalDate},
 * {@link LocalDateTime}) and canonical values into their natural text; a failed
 * conversion returns a marker, {@link #NOT_CONVERTED} or {@link #OUT_OF_RANGE}, instead
 * of throwing per bad value.
 */
final class ValueConversions {

	private static final String[] TRUE_WORDS = { "true", "yes", "y", "1" };

	private static final String[] FALSE_WORDS = { "false", "no", "n", "0" };

	static final String BOOLEAN_WORDS = "true/false, yes/no, y/n, 1/0";

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
	static final Object NOT_CONVERTED = new Object();

	/** An integer conversion that failed only because the number is too large. */
	static final Object OUT_OF_RANGE = new Object();

	private ValueConversions() {
	}

	/** Whether a conversion's result is one of the failure markers. */
	static boolean failed(Object converted) {
		return converted == NOT_CONVERTED || converted == OUT_OF_RANGE;
	}

	static BigDecimal toDecimal(Number number) {
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

	static boolean isText(Object raw) {
		return raw instanceof String || raw instanceof byte[] || raw instanceof Clob || raw instanceof char[]
				|| raw instanceof Character;
	}

	/**
	 * The natural text of a raw value: text as it is, numbers in plain digits (a whole
	 * double without {@code .0}), dates and timestamps in ISO form.
	 */
	static String textOf(Object raw) {
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

	static String timestampText(LocalDateTime timestamp) {
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

	// Conversions return the canonical value or NOT_CONVERTED / OUT_OF_RANGE. Text given
	// to them is taken as it is: stripping source text is the caller's business.

	static Object integer(Object value) {
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

	static Object decimal(Object value) {
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

	static Object bool(Object value) {
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

	/** A date in ISO form, as target values and plan defaults are written. */
	static Object isoDate(Object value) {
		return date(value, ISO_DATE, ISO_DATE_FIXED);
	}

	/**
	 * @param fixed the same pattern read without the formatter, or {@code null}: tried
	 * first, the formatter decides whatever it does not take
	 */
	static Object date(Object value, DateTimeFormatter format, FixedDate fixed) {
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
	static Object timestamp(Object value, DateTimeFormatter format) {
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

}
