package dev.ferry.changeset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * JSON arrays of strings and nulls, written one way every time (no spaces, minimal
 * escapes) and read without a general JSON parser: the change rows' values (whose
 * spelling their change set's sha256 depends on, {@code CanonicalJson}) and the mapping
 * items' old values and candidates' records, a million of them per run.
 */
public final class JsonTexts {

	private JsonTexts() {
	}

	public static String array(List<String> values) {
		if (values == null) {
			return null;
		}
		StringBuilder json = new StringBuilder(16 * values.size() + 2);
		return array(json, values).toString();
	}

	/** Appends the array (which is not null) to {@code json}. */
	public static StringBuilder array(StringBuilder json, List<String> values) {
		json.append('[');
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				json.append(',');
			}
			string(json, values.get(i));
		}
		return json.append(']');
	}

	public static void string(StringBuilder json, String value) {
		if (value == null) {
			json.append("null");
			return;
		}
		json.append('"');
		int plain = 0;
		while (plain < value.length()) {
			char c = value.charAt(plain);
			if (c == '"' || c == '\\' || c < 0x20) {
				break;
			}
			plain++;
		}
		if (plain == value.length()) {
			// the common case: nothing to escape
			json.append(value).append('"');
			return;
		}
		json.append(value, 0, plain);
		for (int i = plain; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}


	/**
	 * Reads an array as {@link #array} writes it, without a general JSON parser: the
	 * apply reads a million of them. Any JSON array of strings and nulls is read, so a
	 * value written by an older spelling still reads; anything else is refused.
	 * @param json the array, or {@code null}
	 * @return its values (nulls kept), or {@code null}
	 */
	public static List<String> parseArray(String json) {
		if (json == null) {
			return null;
		}
		List<String> values = new ArrayList<>();
		int i = skipSpace(json, 0);
		expect(json, i++, '[');
		i = skipSpace(json, i);
		if (i < json.length() && json.charAt(i) == ']') {
			return end(json, i + 1, values);
		}
		StringBuilder text = new StringBuilder();
		// where the next backslash is (-1: none), looked for again only once passed
		int backslash = json.indexOf('\\', i);
		while (true) {
			i = skipSpace(json, i);
			if (json.startsWith("null", i)) {
				values.add(null);
				i += 4;
			}
			else {
				expect(json, i++, '"');
				int start = i;
				// the common string has no escape: find its end with the (vectorized)
				// indexOf
				int quote = json.indexOf('"', i);
				if (backslash >= 0 && backslash < i) {
					backslash = json.indexOf('\\', i);
				}
				if (quote >= 0 && (backslash < 0 || backslash > quote)) {
					values.add(json.substring(start, quote));
					i = quote + 1;
				}
				else {
					text.setLength(0);
					text.append(json, start, i);
					i = escaped(json, i, text);
					values.add(text.toString());
				}
			}
			i = skipSpace(json, i);
			if (i < json.length() && json.charAt(i) == ',') {
				i++;
				continue;
			}
			expect(json, i, ']');
			return end(json, i + 1, values);
		}
	}

	/** Reads the rest of a string that has escapes, from {@code i} to its closing quote. */
	private static int escaped(String json, int i, StringBuilder text) {
		while (true) {
			if (i >= json.length()) {
				throw new IllegalArgumentException("A stored value array ends inside a string: " + json);
			}
			char c = json.charAt(i++);
			if (c == '"') {
				return i;
			}
			if (c != '\\') {
				text.append(c);
				continue;
			}
			if (i >= json.length()) {
				throw new IllegalArgumentException("A stored value array ends inside an escape: " + json);
			}
			char e = json.charAt(i++);
			switch (e) {
				case '"', '\\', '/' -> text.append(e);
				case 'n' -> text.append('\n');
				case 'r' -> text.append('\r');
				case 't' -> text.append('\t');
				case 'b' -> text.append('\b');
				case 'f' -> text.append('\f');
				case 'u' -> {
					if (i + 4 > json.length()) {
						throw new IllegalArgumentException("A stored value array has a short \\u escape: " + json);
					}
					int code = 0;
					for (int k = 0; k < 4; k++) {
						int digit = Character.digit(json.charAt(i++), 16);
						if (digit < 0) {
							throw new IllegalArgumentException("A stored value array has a bad \\u escape: " + json);
						}
						code = code * 16 + digit;
					}
					text.append((char) code);
				}
				default -> throw new IllegalArgumentException(
						"A stored value array has an unknown escape \\" + e + ": " + json);
			}
		}
	}

	private static List<String> end(String json, int i, List<String> values) {
		if (skipSpace(json, i) != json.length()) {
			throw new IllegalArgumentException("A stored value array has text after its end: " + json);
		}
		return Collections.unmodifiableList(values);
	}

	private static int skipSpace(String json, int i) {
		while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
			i++;
		}
		return i;
	}

	private static void expect(String json, int i, char c) {
		if (i >= json.length() || json.charAt(i) != c) {
			throw new IllegalArgumentException(
					"A stored value array is not a JSON array of strings (expected '" + c + "' at " + i + "): " + json);
		}
	}

}
