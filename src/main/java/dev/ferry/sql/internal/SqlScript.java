package dev.ferry.sql.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script into statements at semicolons that are outside quotes ('...',
 * "..."), comments (-- and block comments) and PostgreSQL dollar-quoted bodies
 * ($tag$...$tag$). Blank statements are dropped; each statement keeps its comments, as
 * written.
 */
final class SqlScript {

	private SqlScript() {
	}

	static List<String> statements(String script) {
		List<String> statements = new ArrayList<>();
		if (script == null) {
			return statements;
		}
		StringBuilder current = new StringBuilder();
		int i = 0;
		int n = script.length();
		while (i < n) {
			char c = script.charAt(i);
			if (c == '\'' || c == '"') {
				int end = closing(script, i + 1, c);
				current.append(script, i, end);
				i = end;
			}
			else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
				int end = script.indexOf('\n', i);
				end = end < 0 ? n : end;
				current.append(script, i, end);
				i = end;
			}
			else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
				int end = script.indexOf("*/", i + 2);
				end = end < 0 ? n : end + 2;
				current.append(script, i, end);
				i = end;
			}
			else if (c == '$' && dollarTag(script, i) != null) {
				String tag = dollarTag(script, i);
				int end = script.indexOf(tag, i + tag.length());
				end = end < 0 ? n : end + tag.length();
				current.append(script, i, end);
				i = end;
			}
			else if (c == ';') {
				add(statements, current);
				current.setLength(0);
				i++;
			}
			else {
				current.append(c);
				i++;
			}
		}
		add(statements, current);
		return statements;
	}

	private static int closing(String script, int from, char quote) {
		int i = from;
		while (i < script.length()) {
			if (script.charAt(i) == quote) {
				if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
					i += 2;
					continue;
				}
				return i + 1;
			}
			i++;
		}
		return script.length();
	}

	/**
	 * The $tag$ starting at {@code at}, or null when the $ does not open a dollar quote.
	 */
	private static String dollarTag(String script, int at) {
		int i = at + 1;
		while (i < script.length() && (Character.isLetterOrDigit(script.charAt(i)) || script.charAt(i) == '_')) {
			i++;
		}
		if (i < script.length() && script.charAt(i) == '$'
				&& (i == at + 1 || !Character.isDigit(script.charAt(at + 1)))) {
			return script.substring(at, i + 1);
		}
		return null;
	}

	private static void add(List<String> statements, StringBuilder current) {
		String statement = current.toString().strip();
		if (!statement.isEmpty() && !onlyComments(statement)) {
			statements.add(statement);
		}
	}

	private static boolean onlyComments(String statement) {
		String rest = statement.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("--[^\\n]*", "").strip();
		return rest.isEmpty();
	}

}
