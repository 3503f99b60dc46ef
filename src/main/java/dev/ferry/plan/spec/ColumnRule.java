package dev.ferry.plan.spec;

import java.util.List;

/**
 * How one target column of an import is filled from the query's row.
 *
 * @param from the source column (the target column's name unless {@code from:} is given)
 * @param type the type the value is converted to
 * @param format the {@link java.time.format.DateTimeFormatter} pattern of dates and
 * timestamps, {@code null} for ISO
 * @param normalize the normalizations applied in order
 * @param nullIf values that become NULL after normalization
 * @param required whether NULL rejects the row
 * @param defaultValue the value used for NULL, as written, or {@code null}
 */
public record ColumnRule(String from, Type type, String format, List<Normalization> normalize, List<String> nullIf,
		boolean required, String defaultValue) {

	public ColumnRule {
		normalize = List.copyOf(normalize);
		nullIf = List.copyOf(nullIf);
	}

	/** The types of a column, with the names the YAML {@code type:} key uses. */
	public enum Type {

		STRING("string"), INTEGER("integer"), DECIMAL("decimal"), BOOLEAN("boolean"), DATE("date"),
		TIMESTAMP("timestamp");

		private final String yamlName;

		Type(String yamlName) {
			this.yamlName = yamlName;
		}

		public String yamlName() {
			return this.yamlName;
		}

	}

}
