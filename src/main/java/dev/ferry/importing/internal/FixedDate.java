package dev.ferry.importing.internal;

import java.time.LocalDate;
import java.time.chrono.IsoChronology;

/**
 * A date pattern made of {@code dd}, {@code MM} and {@code yyyy} (or {@code uuuu}), once
 * each, and literal characters that are neither letters nor digits, such as
 * {@code dd.MM.yyyy}: every value it can match has the same length and its digits at the
 * same places, so it is read by position, without the formatter, which costs a map of
 * parsed fields and a resolution per value (about 0.3 s of the 2.2 s that reading and
 * normalizing the 1M source rows of the benchmark took). It only takes what the formatter
 * reads the same way: a value of the exact shape whose date exists, in a year other than
 * 0 (which the plan's patterns reject, their era being the current one, and ISO accepts);
 * anything else it leaves to the formatter, which accepts or rejects it as before.
 */
final class FixedDate {

	/** The pattern with {@code #} for each digit. */
	private final String shape;

	private final int day;

	private final int month;

	private final int year;

	private FixedDate(String shape, int day, int month, int year) {
		this.shape = shape;
		this.day = day;
		this.month = month;
		this.year = year;
	}

	/** The fixed reading of a pattern, or {@code null} when it has none. */
	static FixedDate of(String pattern) {
		StringBuilder shape = new StringBuilder(pattern.length());
		int day = -1;
		int month = -1;
		int year = -1;
		int i = 0;
		while (i < pattern.length()) {
			char ch = pattern.charAt(i);
			int end = i;
			while (end < pattern.length() && pattern.charAt(end) == ch) {
				end++;
			}
			int width = end - i;
			if (ch == 'd' && width == 2 && day < 0) {
				day = i;
			}
			else if (ch == 'M' && width == 2 && month < 0) {
				month = i;
			}
			else if ((ch == 'y' || ch == 'u') && width == 4 && year < 0) {
				year = i;
			}
			else if (Character.isLetterOrDigit(ch) || "'[]{}#".indexOf(ch) >= 0 || ch > 0x7e || ch < 0x20) {
				return null;
			}
			else {
				shape.append(pattern, i, end);
				i = end;
				continue;
			}
			shape.append("#".repeat(width));
			i = end;
		}
		return (day < 0 || month < 0 || year < 0) ? null : new FixedDate(shape.toString(), day, month, year);
	}

	/** The date, or {@code null} when the formatter has to decide. */
	LocalDate parse(String text) {
		if (text.length() != this.shape.length()) {
			return null;
		}
		for (int i = 0; i < text.length(); i++) {
			char expected = this.shape.charAt(i);
			char ch = text.charAt(i);
			if ((expected == '#') ? (ch < '0' || ch > '9') : ch != expected) {
				return null;
			}
		}
		int y = digits(text, this.year, 4);
		int m = digits(text, this.month, 2);
		int d = digits(text, this.day, 2);
		if (y == 0 || m < 1 || m > 12 || d < 1
				|| d > java.time.Month.of(m).length(IsoChronology.INSTANCE.isLeapYear(y))) {
			return null;
		}
		return LocalDate.of(y, m, d);
	}

	private static int digits(String text, int at, int width) {
		int value = 0;
		for (int i = at; i < at + width; i++) {
			value = value * 10 + (text.charAt(i) - '0');
		}
		return value;
	}

}
