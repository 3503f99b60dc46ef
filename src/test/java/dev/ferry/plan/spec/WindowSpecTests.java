package dev.ferry.plan.spec;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a window is open and when it opens next: ranges within a day and past midnight,
 * freeze dates (also cutting a range that runs into them), and a zone with summer time.
 */
class WindowSpecTests {

	static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	// Saturdays and Sundays 01:00-05:00, Wednesdays 22:00 to Thursday 02:00, Berlin time
	static final WindowSpec WINDOW = new WindowSpec(BERLIN,
			List.of(new WindowSpec.Range(Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(1, 0),
					LocalTime.of(5, 0)),
					new WindowSpec.Range(Set.of(DayOfWeek.WEDNESDAY), LocalTime.of(22, 0), LocalTime.of(2, 0))),
			Set.of(LocalDate.of(2026, 12, 24)));

	@Test
	void aWeeklyRangeIsOpenFromItsStartToItsEnd() {
		// Saturday 2026-12-05 02:00 in Berlin (01:00 UTC)
		WindowSpec.State open = WINDOW.at(Instant.parse("2026-12-05T01:00:00Z"));
		assertThat(open.open()).isTrue();
		assertThat(open.closes()).isEqualTo(Instant.parse("2026-12-05T04:00:00Z"));
		// Friday 2026-12-04 12:00 UTC: the next is Saturday 01:00 Berlin
		WindowSpec.State closed = WINDOW.at(Instant.parse("2026-12-04T12:00:00Z"));
		assertThat(closed.open()).isFalse();
		assertThat(closed.opens()).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
		// the end is not in it
		assertThat(WINDOW.at(Instant.parse("2026-12-05T04:00:00Z")).open()).isFalse();
	}

	@Test
	void aRangeEndingBeforeItStartsRunsPastMidnight() {
		// Thursday 2026-12-10 01:30 in Berlin: inside Wednesday's 22:00-02:00
		WindowSpec.State open = WINDOW.at(Instant.parse("2026-12-10T00:30:00Z"));
		assertThat(open.open()).isTrue();
		assertThat(open.closes()).isEqualTo(Instant.parse("2026-12-10T01:00:00Z"));
	}

	@Test
	void aFreezeDateClosesItsDayAlsoForARangeRunningIntoIt() {
		// Wednesday 2026-12-23 22:00 to Thursday 24 02:00: open until midnight only
		WindowSpec.State open = WINDOW.at(Instant.parse("2026-12-23T22:30:00Z"));
		assertThat(open.open()).isTrue();
		assertThat(open.closes()).isEqualTo(Instant.parse("2026-12-23T23:00:00Z"));
		WindowSpec.State frozen = WINDOW.at(Instant.parse("2026-12-23T23:30:00Z"));
		assertThat(frozen.open()).isFalse();
		// the next: Saturday 26 01:00 Berlin
		assertThat(frozen.opens()).isEqualTo(Instant.parse("2026-12-26T00:00:00Z"));
	}

	@Test
	void summerTimeMovesTheInstantsNotTheLocalTimes() {
		// Saturday 2027-04-03 01:00 in Berlin is 23:00 UTC the day before (UTC+2)
		assertThat(WINDOW.at(Instant.parse("2027-04-02T12:00:00Z")).opens())
			.isEqualTo(Instant.parse("2027-04-02T23:00:00Z"));
	}

	@Test
	void aWindowFrozenForAYearNeverOpens() {
		WindowSpec frozen = new WindowSpec(ZoneId.of("UTC"),
				List.of(new WindowSpec.Range(Set.of(DayOfWeek.MONDAY), LocalTime.of(1, 0), LocalTime.of(2, 0))),
				java.util.stream.Stream.iterate(LocalDate.of(2026, 12, 1), day -> day.plusDays(1))
					.limit(WindowSpec.HORIZON_DAYS + 5)
					.collect(java.util.stream.Collectors.toSet()));
		WindowSpec.State state = frozen.at(Instant.parse("2026-12-02T00:00:00Z"));
		assertThat(state.open()).isFalse();
		assertThat(state.opens()).isNull();
		assertThat(WINDOW.text()).isEqualTo("Sat, Sun 01:00–05:00; Wed 22:00–02:00 (Europe/Berlin), not on 2026-12-24");
	}

}
