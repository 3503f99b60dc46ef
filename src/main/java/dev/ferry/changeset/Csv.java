package dev.ferry.changeset;

import java.util.regex.Pattern;

/**
 * Fields of the CSV files Ferry writes (RFC 4180): a field is quoted when it holds a
 * comma, a double quote or a line break, and an empty text is written {@code ""} so that
 * it differs from NULL, an empty field.
 * <p>
 * A spreadsheet that opens a CSV file reads a cell starting with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return as a formula, and a source value can
 * be written to be one ({@code =HYPERLINK(...)}). Such a cell is written with a leading
 * {@code '} (OWASP's advice), which spreadsheets show as text; a number ({@code -5},
 * {@code +1.5e3}) is left as it is. The values exactly as stored are in the JSON
 * downloads.
 */
public final class Csv {

	private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

	private Csv() {
	}

	public static String field(String value) {
		if (value == null) {
			return "";
		}
		String cell = formula(value) ? "'" + value : value;
		boolean quote = cell.isEmpty() || cell != value;
		boolean quotes = false;
		// one pass over the cell: most need no quoting
		for (int i = 0; i < cell.length() && !quotes; i++) {
			char c = cell.charAt(i);
			if (c == ',' || c == '\n' || c == '\r') {
				quote = true;
			}
			else if (c == '"') {
				quote = true;
				quotes = true;
			}
		}
		if (!quote) {
			return cell;
		}
		return '"' + (quotes ? cell.replace("\"", "\"\"") : cell) + '"';
	}

	/** Whether a spreadsheet would read the value as a formula. */
	static boolean formula(String value) {
		if (value.isEmpty()) {
			return false;
		}
		char first = value.charAt(0);
		boolean starts = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
				|| first == '\r';
		return starts && !NUMBER.matcher(value).matches();
	}

}
