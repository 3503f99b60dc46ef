package dev.ferry.cli;

import java.util.regex.Pattern;

/**
 * The CSV cells the CLI writes are safe to open in a spreadsheet, by the same rule as
 * Ferry's own CSV files (docs/security.md): a value a spreadsheet would run as a formula
 * (starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return,
 * and not a number) is written with a leading {@code '}. Reading a decisions file takes
 * that {@code '} off again.
 */
final class SpreadsheetSafe {

	private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

	private SpreadsheetSafe() {
	}

	/** The value as a cell: {@code null} stays null (an empty cell). */
	static String cell(String value) {
		return (value != null && formula(value)) ? "'" + value : value;
	}

	/** The value a cell written by {@link #cell} holds. */
	static String value(String cell) {
		return (cell.length() > 1 && cell.charAt(0) == '\'' && formula(cell.substring(1))) ? cell.substring(1) : cell;
	}

	static boolean formula(String value) {
		if (value.isEmpty()) {
			return false;
		}
		char first = value.charAt(0);
		boolean starts = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
		return starts && !NUMBER.matcher(value).matches();
	}

}
