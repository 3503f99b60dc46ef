package dev.ferry.changeset;

/**
 * Fields of the CSV files Ferry writes (RFC 4180): a field is quoted when it holds a
 * comma, a double quote or a line break, and an empty text is written {@code ""} so that
 * it differs from NULL, an empty field.
 */
public final class Csv {

	private Csv() {
	}

	public static String field(String value) {
		if (value == null) {
			return "";
		}
		boolean quote = value.isEmpty() || value.indexOf(',') >= 0 || value.indexOf('"') >= 0
				|| value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
		return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
	}

}
