package dev.ferry.plan.spec;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a plan's {@code window:}: {@code zone} (an IANA time zone), {@code weekly}
 * (ranges of {@code days}, {@code from} and {@code to}) and {@code freeze} (dates, or
 * ranges of dates {@code 2026-12-20..2027-01-02}); each problem with its line and column.
 */
final class WindowParser {

	/** The longest freeze range one entry may name. */
	static final int MAX_FREEZE_DAYS = 366;

	private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)");

	private static final Pattern DATE_RANGE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})\\.\\.(\\d{4}-\\d{2}-\\d{2})");

	private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY, "wed",
			DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY, "sun",
			DayOfWeek.SUNDAY);

	private final PlanValues values;

	WindowParser(PlanValues values) {
		this.values = values;
	}

	WindowSpec window(Node node, String path) {
		Fields window = Fields.read(this.values, node, path, "window", List.of("zone", "weekly", "freeze"));
		if (!window.isMapping()) {
			return null;
		}
		ZoneId zone = null;
		if (window.required("zone", "an IANA time zone such as Europe/Berlin or UTC")) {
			zone = zone(window.value("zone"), path + ".zone");
		}
		List<WindowSpec.Range> weekly = new ArrayList<>();
		if (window.required("weekly", "a list of { days: [sat, sun], from: \"01:00\", to: \"05:00\" }")) {
			List<Node> items = this.values.list(window.value("weekly"), path + ".weekly", "a list of weekly ranges");
			if (items != null && items.isEmpty()) {
				this.values.error(window.value("weekly"), path + ".weekly",
						"A window needs at least one weekly range.");
			}
			for (int i = 0; items != null && i < items.size(); i++) {
				WindowSpec.Range range = range(items.get(i), path + ".weekly[" + i + "]");
				if (range != null) {
					weekly.add(range);
				}
			}
		}
		Set<LocalDate> freeze = new LinkedHashSet<>();
		if (window.has("freeze")) {
			List<Node> items = this.values.list(window.value("freeze"), path + ".freeze",
					"a list of dates (2026-12-24) or date ranges (2026-12-20..2027-01-02)");
			for (int i = 0; items != null && i < items.size(); i++) {
				freeze(items.get(i), path + ".freeze[" + i + "]", freeze);
			}
		}
		if (zone == null || weekly.isEmpty()) {
			return null;
		}
		return new WindowSpec(zone, weekly, freeze);
	}

	private ZoneId zone(Node node, String path) {
		String text = this.values.scalarValue(node, path);
		if (text == null) {
			return null;
		}
		try {
			return ZoneId.of(text.strip());
		}
		catch (DateTimeException ex) {
			this.values.error(node, path, "'" + text
					+ "' is not a time zone: use an IANA zone such as Europe/Berlin, America/New_York or UTC.");
			return null;
		}
	}

	private WindowSpec.Range range(Node node, String path) {
		Fields range = Fields.read(this.values, node, path, "a weekly range", List.of("days", "from", "to"));
		if (!range.isMapping()) {
			return null;
		}
		Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
		boolean daysRead = false;
		if (range.required("days", "a list of mon, tue, wed, thu, fri, sat, sun")) {
			List<Node> items = this.values.list(range.value("days"), path + ".days", "a list of days (mon … sun)");
			daysRead = items != null;
			if (items != null && items.isEmpty()) {
				this.values.error(range.value("days"), path + ".days", "A weekly range needs at least one day.");
				daysRead = false;
			}
			for (int i = 0; items != null && i < items.size(); i++) {
				String text = this.values.scalarValue(items.get(i), path + ".days[" + i + "]");
				DayOfWeek day = (text == null) ? null : DAYS.get(text.strip().toLowerCase(Locale.ROOT));
				if (text != null && day == null) {
					this.values.error(items.get(i), path + ".days[" + i + "]",
							"'" + text + "' is not a day: use mon, tue, wed, thu, fri, sat or sun.");
					daysRead = false;
				}
				if (day != null) {
					days.add(day);
				}
			}
		}
		LocalTime from = range.required("from", "a time such as \"01:00\"") ? time(range.value("from"), path + ".from")
				: null;
		LocalTime to = range.required("to", "a time such as \"05:00\"") ? time(range.value("to"), path + ".to") : null;
		if (from != null && to != null && from.equals(to)) {
			this.values.error(range.value("to"), path + ".to",
					"A weekly range must not end when it starts (" + to + "): it would be empty, or a whole day "
							+ "(write from: \"00:00\", to: \"23:59\" for nearly a whole day).");
			return null;
		}
		if (!daysRead || from == null || to == null) {
			return null;
		}
		return new WindowSpec.Range(days, from, to);
	}

	private LocalTime time(Node node, String path) {
		String text = this.values.scalarValue(node, path);
		if (text == null) {
			return null;
		}
		Matcher matcher = TIME.matcher(text.strip());
		if (!matcher.matches()) {
			this.values.error(node, path,
					"'" + text + "' is not a time of day: write it as \"HH:MM\" (00:00 to 23:59), " + "in quotes.");
			return null;
		}
		return LocalTime.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
	}

	private void freeze(Node node, String path, Set<LocalDate> freeze) {
		String text = this.values.scalarValue(node, path);
		if (text == null) {
			return;
		}
		String value = text.strip();
		Matcher range = DATE_RANGE.matcher(value);
		try {
			if (range.matches()) {
				LocalDate first = LocalDate.parse(range.group(1));
				LocalDate last = LocalDate.parse(range.group(2));
				if (last.isBefore(first)) {
					this.values.error(node, path, "The freeze range " + value + " ends before it starts.");
					return;
				}
				if (first.plusDays(MAX_FREEZE_DAYS).isBefore(last)) {
					this.values.error(node, path,
							"The freeze range " + value + " is longer than " + MAX_FREEZE_DAYS + " days.");
					return;
				}
				for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
					freeze.add(day);
				}
				return;
			}
			freeze.add(LocalDate.parse(value));
		}
		catch (DateTimeException ex) {
			this.values.error(node, path, "'" + text
					+ "' is not a date: write a date as 2026-12-24 or a range of dates as 2026-12-20..2027-01-02.");
		}
	}

}
