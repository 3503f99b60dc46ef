package dev.ferry.changeset.internal;

import java.util.List;
import java.util.Locale;

/**
 * One change row as a segment stores it: its seq, operation, table, and its key, before,
 * after and reasons as canonical JSON (null where it has none), the rules that rejected it
 * ({@code |column: rule|…|}) and the columns an update changes ({@code |name|…|}).
 */
record SegmentRow(long seq, String op, String table, String key, String before, String after, String reasons,
		String rules, String changed) {

	/** The key search text: the key values, lower case, joined by a space. */
	String search() {
		return search(ChangeRows.texts(this.key));
	}

	static String search(List<String> key) {
		StringBuilder search = new StringBuilder();
		for (String value : key) {
			if (!search.isEmpty()) {
				search.append(' ');
			}
			search.append(value == null ? "" : value.toLowerCase(Locale.ROOT));
		}
		String text = search.length() > 1000 ? search.substring(0, 1000) : search.toString();
		// a line feed separates the keys of a segment's search text
		return text.indexOf('\n') < 0 ? text : text.replace('\n', ' ');
	}

}
