package dev.ferry.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts SQL into parts for showing it highlighted: keywords, strings, comments and the
 * rest. Only for reading: the page escapes every part, and nothing here decides what
 * runs.
 */
final class SqlHighlight {

	private static final Set<String> KEYWORDS = Set.of("ADD", "ALTER", "AND", "AS", "BEGIN", "BY", "CASE", "CHECK",
			"COLUMN", "COMMIT", "CONSTRAINT", "CREATE", "DEFAULT", "DELETE", "DISTINCT", "DROP", "ELSE", "END",
			"EXISTS", "FOREIGN", "FROM", "GROUP", "HAVING", "IF", "IN", "INDEX", "INNER", "INSERT", "INTO", "IS",
			"JOIN", "KEY", "LEFT", "LIKE", "LIMIT", "NOT", "NULL", "ON", "OR", "ORDER", "OUTER", "PRIMARY",
			"REFERENCES", "RENAME", "RIGHT", "ROLLBACK", "SELECT", "SET", "TABLE", "THEN", "TO", "TRUNCATE", "UNION",
			"UNIQUE", "UPDATE", "VALUES", "VIEW", "WHEN", "WHERE", "WITH");

	/** A piece of the text and what it is: keyword, string, comment or plain. */
	record Part(String text, String kind) {
	}

	private SqlHighlight() {
	}

	static List<Part> parts(String sql) {
		List<Part> parts = new ArrayList<>();
		if (sql == null) {
			return parts;
		}
		StringBuilder plain = new StringBuilder();
		int i = 0;
		while (i < sql.length()) {
			char c = sql.charAt(i);
			int end;
			String kind;
			if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
				end = sql.indexOf('\n', i);
				end = (end < 0) ? sql.length() : end;
				kind = "comment";
			}
			else if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
				end = sql.indexOf("*/", i + 2);
				end = (end < 0) ? sql.length() : end + 2;
				kind = "comment";
			}
			else if (c == '\'') {
				end = i + 1;
				while (end < sql.length()) {
					if (sql.charAt(end) == '\'') {
						if (end + 1 < sql.length() && sql.charAt(end + 1) == '\'') {
							end += 2;
							continue;
						}
						end++;
						break;
					}
					end++;
				}
				kind = "string";
			}
			else if (Character.isLetter(c) || c == '_') {
				end = i + 1;
				while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
					end++;
				}
				String word = sql.substring(i, end);
				if (!KEYWORDS.contains(word.toUpperCase(Locale.ROOT))) {
					plain.append(word);
					i = end;
					continue;
				}
				kind = "keyword";
			}
			else {
				plain.append(c);
				i++;
				continue;
			}
			if (!plain.isEmpty()) {
				parts.add(new Part(plain.toString(), "plain"));
				plain.setLength(0);
			}
			parts.add(new Part(sql.substring(i, end), kind));
			i = end;
		}
		if (!plain.isEmpty()) {
			parts.add(new Part(plain.toString(), "plain"));
		}
		return parts;
	}

}
