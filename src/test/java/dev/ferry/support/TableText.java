package dev.ferry.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Invisible characters written visibly in test tables: {@code {tab}}, {@code {nl}},
 * {@code {nbsp}} and {@code {U+XXXX}} for any code point. Java turns a {@code \}{@code u}
 * escape into its character before it reads a text block, so a newline or a no-break
 * space written that way would break or blur a CSV table.
 */
public final class TableText {

	private static final Pattern ESCAPE = Pattern.compile("\\{(tab|nl|nbsp|U\\+([0-9A-Fa-f]{4,6}))}");

	private TableText() {
	}

	public static String decode(String text) {
		if (text == null) {
			return null;
		}
		Matcher matcher = ESCAPE.matcher(text);
		StringBuilder decoded = new StringBuilder();
		while (matcher.find()) {
			String character = switch (matcher.group(1)) {
				case "tab" -> "\t";
				case "nl" -> "\n";
				case "nbsp" -> "\u00A0";
				default -> Character.toString(Integer.parseInt(matcher.group(2), 16));
			};
			matcher.appendReplacement(decoded, Matcher.quoteReplacement(character));
		}
		return matcher.appendTail(decoded).toString();
	}

}
