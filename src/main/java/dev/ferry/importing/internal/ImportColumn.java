package dev.ferry.importing.internal;

import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.plan.spec.Normalization;

/**
 * One column of an import phase with its rule compiled once (type, pattern, normalized
 * {@code null-if} entries, default): converts the column's source values and words the
 * rejections of the values that break the rule.
 */
final class ImportColumn {

	private static final String ISO_TIMESTAMP_FORMS = "yyyy-MM-ddTHH:mm:ss or yyyy-MM-dd HH:mm:ss";

	private static final int MAX_SHOWN_VALUE = 80;

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
	final ImportRules.Rejection defaultRejection;

	ImportColumn(String name, ColumnRule rule, int source, boolean key) {
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
		this.format = (temporal && rule.format() != null) ? ValueConversions.pattern(rule.format()) : null;
		this.fixedFormat = (this.type == ColumnRule.Type.DATE && rule.format() != null) ? FixedDate.of(rule.format())
				: null;
		String formatNote = (this.format != null) ? " (format " + rule.format() + ")" : "";
		this.typeRule = "type " + this.type.yamlName() + formatNote;
		this.expected = switch (this.type) {
			case STRING -> "a string";
			case INTEGER -> "an integer";
			case DECIMAL -> "a decimal number";
			case BOOLEAN -> "a boolean (" + ValueConversions.BOOLEAN_WORDS + ")";
			case DATE -> "a date in the format " + ((this.format != null) ? rule.format() : "yyyy-MM-dd");
			case TIMESTAMP -> (this.format != null) ? "a timestamp in the format " + rule.format()
					: "a timestamp (" + ISO_TIMESTAMP_FORMS + ")";
		};
		Object defaultValue = (rule.defaultValue() != null) ? defaultValue(rule.defaultValue()) : null;
		if (ValueConversions.failed(defaultValue)) {
			this.defaultValue = null;
			this.defaultRejection = new ImportRules.Rejection(name, rule.defaultValue(), "default", name
					+ ": no value, and the default " + quoted(rule.defaultValue()) + " is not " + this.expected + ".");
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
		if (value != ValueConversions.NOT_CONVERTED) {
			return value;
		}
		if (this.type == ColumnRule.Type.DECIMAL) {
			try {
				return new BigDecimal(stripped);
			}
			catch (NumberFormatException ex) {
				return ValueConversions.NOT_CONVERTED;
			}
		}
		if (this.type == ColumnRule.Type.DATE && this.format != null) {
			return ValueConversions.isoDate(stripped);
		}
		if (this.type == ColumnRule.Type.TIMESTAMP && this.format != null) {
			return ValueConversions.timestamp(stripped, null);
		}
		return value;
	}

	/** Converts normalized source text, or a raw value that is not text. */
	Object fromSource(Object input) {
		if (this.type == ColumnRule.Type.STRING) {
			return ValueConversions.textOf(input);
		}
		// surrounding whitespace never makes a number or a date wrong
		Object value = (input instanceof String text) ? Normalization.TRIM.apply(text) : input;
		return switch (this.type) {
			case STRING -> value;
			case INTEGER -> ValueConversions.integer(value);
			case DECIMAL -> ValueConversions.decimal(value);
			case BOOLEAN -> ValueConversions.bool(value);
			case DATE -> (this.format != null) ? ValueConversions.date(value, this.format, this.fixedFormat)
					: ValueConversions.isoDate(value);
			case TIMESTAMP -> ValueConversions.timestamp(value, this.format);
		};
	}

	ImportRules.Rejection typeRejection(String text, boolean outOfRange) {
		String message = outOfRange ? this.name + ": " + quoted(text) + " is out of the integer range ("
				+ Long.MIN_VALUE + " to " + Long.MAX_VALUE + ")."
				: this.name + ": " + quoted(text) + " is not " + this.expected + ".";
		return new ImportRules.Rejection(this.name, text, this.typeRule, message);
	}

	/**
	 * The rejection of a row without a value in this required column.
	 * @param nulledText the text {@code null-if} turned into no value, or {@code null}
	 */
	ImportRules.Rejection requiredRejection(String nulledText) {
		String message = (nulledText != null)
				? this.name + ": " + quoted(nulledText) + " means no value (null-if), and the column is required."
				: this.name + ": no value, and the column is required.";
		return new ImportRules.Rejection(this.name, nulledText, "required", message);
	}

	/**
	 * The rejection of a row without a value in this key column.
	 * @param nulledText the text {@code null-if} turned into no value, or {@code null}
	 */
	ImportRules.Rejection keyRejection(String nulledText) {
		return new ImportRules.Rejection(this.name, nulledText, "key", this.name + ": the key column has no value.");
	}

	private static String quoted(String value) {
		String shown = (value.length() > MAX_SHOWN_VALUE) ? value.substring(0, MAX_SHOWN_VALUE) + "…" : value;
		return "\"" + shown + "\"";
	}

}
