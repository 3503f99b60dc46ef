package dev.ferry.mapping.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.Suggestion;

/**
 * The JSON of a mapping item's columns ({@code old_values}, {@code candidates_json},
 * {@code suggestions_json}), written and the old values read without a general JSON
 * library: a dry run writes three of them per item, a million items at a time, and
 * {@code mapping.csv} reads the old values of every item. The profile of a mapping dry
 * run of 1M × 1M records had the library's per-value set-up (a generator, a writer, a
 * serializer look-up) as 43 % of storing the items and parsing the old values as 31 % of
 * writing {@code mapping.csv}. The text is plain JSON that any reader (the rest of Ferry
 * reads it with Jackson) takes back the same: {@code ItemJsonTests} checks both ways.
 */
final class ItemJson {

	private ItemJson() {
	}

	/** A JSON array of texts and nulls. */
	static String texts(List<String> values) {
		StringBuilder out = new StringBuilder(16 + 16 * values.size());
		texts(out, values);
		return out.toString();
	}

	/**
	 * {@code [{"newKey": ..., "score": ..., "breakdown": [...], "record": [...]}, ...]}.
	 */
	static String candidates(List<Candidate> candidates) {
		StringBuilder out = new StringBuilder(64 * candidates.size());
		out.append('[');
		for (int i = 0; i < candidates.size(); i++) {
			Candidate candidate = candidates.get(i);
			if (i > 0) {
				out.append(',');
			}
			out.append("{\"newKey\":");
			text(out, candidate.newKey());
			out.append(",\"score\":");
			number(out, candidate.score());
			out.append(",\"breakdown\":");
			numbers(out, candidate.breakdown());
			out.append(",\"record\":");
			texts(out, candidate.record());
			out.append('}');
		}
		return out.append(']').toString();
	}

	/**
	 * {@code [{"newKey": ..., "similarity": ..., "score": ..., "breakdown": [...],
	 * "record": [...]}, ...]}.
	 */
	static String suggestions(List<Suggestion> suggestions) {
		StringBuilder out = new StringBuilder(80 * suggestions.size());
		out.append('[');
		for (int i = 0; i < suggestions.size(); i++) {
			Suggestion suggestion = suggestions.get(i);
			if (i > 0) {
				out.append(',');
			}
			out.append("{\"newKey\":");
			text(out, suggestion.newKey());
			out.append(",\"similarity\":");
			number(out, suggestion.similarity());
			out.append(",\"score\":");
			number(out, suggestion.score());
			out.append(",\"breakdown\":");
			numbers(out, suggestion.breakdown());
			out.append(",\"record\":");
			texts(out, suggestion.record());
			out.append('}');
		}
		return out.append(']').toString();
	}

	/**
	 * The texts of a JSON array of texts and nulls, as {@link #texts(List)} and Jackson
	 * write it (white space between the tokens allowed).
	 * @throws IllegalArgumentException if it is anything else
	 */
	static List<String> parseTexts(String json) {
		Parser parser = new Parser(json);
		List<String> values = new ArrayList<>();
		parser.skipSpace();
		parser.expect('[');
		parser.skipSpace();
		if (parser.peek() == ']') {
			parser.pos++;
		}
		else {
			while (true) {
				parser.skipSpace();
				values.add(parser.textOrNull());
				parser.skipSpace();
				char next = parser.next();
				if (next == ']') {
					break;
				}
				if (next != ',') {
					throw parser.error("',' or ']'");
				}
			}
		}
		parser.skipSpace();
		if (parser.pos != json.length()) {
			throw parser.error("the end");
		}
		return Collections.unmodifiableList(values);
	}

	private static void texts(StringBuilder out, List<String> values) {
		out.append('[');
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				out.append(',');
			}
			text(out, values.get(i));
		}
		out.append(']');
	}

	private static void numbers(StringBuilder out, List<Double> values) {
		out.append('[');
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				out.append(',');
			}
			Double value = values.get(i);
			if (value == null) {
				out.append("null");
			}
			else {
				number(out, value);
			}
		}
		out.append(']');
	}

	private static void number(StringBuilder out, double value) {
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			// not JSON; a score never is either
			throw new IllegalArgumentException("A score must be a finite number, not " + value + ".");
		}
		out.append(value);
	}

	/** A JSON string: quotes, backslashes and control characters escaped. */
	private static void text(StringBuilder out, String value) {
		if (value == null) {
			out.append("null");
			return;
		}
		out.append('"');
		int from = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c >= 0x20 && c != '"' && c != '\\') {
				continue;
			}
			out.append(value, from, i);
			from = i + 1;
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
			}
		}
		out.append(value, from, value.length()).append('"');
	}

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private static final class Parser {

		private final String json;

		private int pos;

		Parser(String json) {
			this.json = json;
		}

		char peek() {
			if (this.pos >= this.json.length()) {
				throw error("more");
			}
			return this.json.charAt(this.pos);
		}

		char next() {
			char c = peek();
			this.pos++;
			return c;
		}

		void expect(char c) {
			if (next() != c) {
				this.pos--;
				throw error("'" + c + "'");
			}
		}

		void skipSpace() {
			while (this.pos < this.json.length()) {
				char c = this.json.charAt(this.pos);
				if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
					return;
				}
				this.pos++;
			}
		}

		String textOrNull() {
			if (this.json.startsWith("null", this.pos)) {
				this.pos += 4;
				return null;
			}
			expect('"');
			int start = this.pos;
			// the common case: nothing escaped
			int quote = this.json.indexOf('"', start);
			int backslash = this.json.indexOf('\\', start);
			if (quote >= 0 && (backslash < 0 || backslash > quote)) {
				for (int i = start; i < quote; i++) {
					if (this.json.charAt(i) < 0x20) {
						this.pos = i;
						throw error("an escaped control character");
					}
				}
				this.pos = quote + 1;
				return this.json.substring(start, quote);
			}
			StringBuilder text = new StringBuilder();
			while (true) {
				char c = next();
				if (c == '"') {
					return text.toString();
				}
				if (c < 0x20) {
					this.pos--;
					throw error("an escaped control character");
				}
				if (c != '\\') {
					text.append(c);
					continue;
				}
				char escaped = next();
				switch (escaped) {
					case '"', '\\', '/' -> text.append(escaped);
					case 'n' -> text.append('\n');
					case 'r' -> text.append('\r');
					case 't' -> text.append('\t');
					case 'b' -> text.append('\b');
					case 'f' -> text.append('\f');
					case 'u' -> {
						if (this.pos + 4 > this.json.length()) {
							throw error("four hex digits");
						}
						int code = 0;
						for (int i = 0; i < 4; i++) {
							int digit = Character.digit(this.json.charAt(this.pos + i), 16);
							if (digit < 0) {
								throw error("four hex digits");
							}
							code = code * 16 + digit;
						}
						this.pos += 4;
						text.append((char) code);
					}
					default -> {
						this.pos--;
						throw error("an escape");
					}
				}
			}
		}

		IllegalArgumentException error(String expected) {
			return new IllegalArgumentException(
					"Not a JSON array of texts: expected " + expected + " at offset " + this.pos + ".");
		}

	}

}
