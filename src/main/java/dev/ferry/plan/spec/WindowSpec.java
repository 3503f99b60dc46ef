package dev.ferry.plan.spec;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A plan's apply window ({@code window:}): weekly time ranges in a time zone during which
 * its applies may start, and freeze dates on which none may. A range whose end is not
 * after its start runs past midnight into the next day. A freeze date closes the window
 * for the whole of that day in the zone, also the part of a range that runs into it.
 *
 * @param zone the zone the ranges and dates are in
 * @param weekly the ranges, at least one
 * @param freeze the dates without a window
 */
public record WindowSpec(ZoneId zone, List<Range> weekly, Set<LocalDate> freeze) {

	/**
	 * How far ahead the next opening is looked for (a freeze longer than this closes it).
	 */
	static final int HORIZON_DAYS = 400;

	public WindowSpec {
		weekly = List.copyOf(weekly);
		freeze = Set.copyOf(freeze);
	}

	/**
	 * One weekly range.
	 *
	 * @param days the days it opens on
	 * @param from when it opens
	 * @param to when it closes: on the same day when after {@code from}, else on the next
	 */
	public record Range(Set<DayOfWeek> days, LocalTime from, LocalTime to) {

		public Range {
			days = Set.copyOf(days);
		}

		/** How long it is open. */
		public Duration length() {
			Duration length = Duration.between(this.from, this.to);
			return length.isNegative() || length.isZero() ? length.plusDays(1) : length;
		}

		/**
		 * The range in words: {@code Sat, Sun 01:00–05:00},
		 * {@code every day 22:00–02:00}.
		 */
		public String text() {
			if (this.days.size() == 7) {
				return "every day " + this.from + "–" + this.to;
			}
			String names = this.days.stream()
				.sorted()
				.map(day -> day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH))
				.collect(Collectors.joining(", "));
			return names + " " + this.from + "–" + this.to;
		}

	}

	/**
	 * Where an instant falls.
	 *
	 * @param open whether the window is open
	 * @param closes when the open window closes; null when closed
	 * @param opens when it opens next; null when open, or when no opening is found within
	 * {@value #HORIZON_DAYS} days
	 */
	public record State(boolean open, Instant closes, Instant opens) {
	}

	/** The window at an instant. */
	public State at(Instant now) {
		List<Instant[]> open = openings(now);
		for (Instant[] interval : open) {
			if (!now.isBefore(interval[0]) && now.isBefore(interval[1])) {
				return new State(true, interval[1], null);
			}
		}
		for (Instant[] interval : open) {
			if (interval[0].isAfter(now)) {
				return new State(false, null, interval[0]);
			}
		}
		return new State(false, null, null);
	}

	/**
	 * The whole window in words:
	 * {@code Sat, Sun 01:00–05:00; Wed 22:00–02:00 (Europe/Berlin)}.
	 */
	public String text() {
		String ranges = this.weekly.stream().map(Range::text).collect(Collectors.joining("; "));
		String frozen = this.freeze.isEmpty() ? "" : ", not on "
				+ this.freeze.stream().sorted().map(LocalDate::toString).collect(Collectors.joining(", "));
		return ranges + " (" + this.zone.getId() + ")" + frozen;
	}

	/**
	 * The open intervals from the day before {@code now} over the horizon, without the
	 * freeze dates, merged and in order.
	 */
	private List<Instant[]> openings(Instant now) {
		LocalDate today = now.atZone(this.zone).toLocalDate();
		List<Instant[]> pieces = new ArrayList<>();
		for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(HORIZON_DAYS)); day = day.plusDays(1)) {
			for (Range range : this.weekly) {
				if (!range.days().contains(day.getDayOfWeek())) {
					continue;
				}
				ZonedDateTime start = ZonedDateTime.of(day, range.from(), this.zone);
				ZonedDateTime end = ZonedDateTime.of(day, range.from(), this.zone).plus(range.length());
				// cut at midnights, leaving out the frozen days
				ZonedDateTime piece = start;
				while (piece.isBefore(end)) {
					ZonedDateTime midnight = piece.toLocalDate().plusDays(1).atStartOfDay(this.zone);
					ZonedDateTime pieceEnd = midnight.isBefore(end) ? midnight : end;
					if (!this.freeze.contains(piece.toLocalDate())) {
						pieces.add(new Instant[] { piece.toInstant(), pieceEnd.toInstant() });
					}
					piece = pieceEnd;
				}
			}
		}
		pieces.sort(Comparator.comparing((Instant[] interval) -> interval[0]));
		List<Instant[]> merged = new ArrayList<>();
		for (Instant[] interval : pieces) {
			Instant[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
			if (last != null && !interval[0].isAfter(last[1])) {
				if (interval[1].isAfter(last[1])) {
					last[1] = interval[1];
				}
			}
			else {
				merged.add(new Instant[] { interval[0], interval[1] });
			}
		}
		return merged;
	}

}
