package dev.ferry.window.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.ActionCondition;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.WindowSpec;

import org.springframework.stereotype.Component;

/**
 * The window's part of the apply lock: outside its plan's window an apply is refused with
 * when the next window opens. Rollbacks are never held back by a window: undoing must
 * stay possible at any time.
 */
@Component
class ApplyWindows implements ActionCondition {

	static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

	private final Clock clock;

	ApplyWindows(Clock clock) {
		this.clock = clock;
	}

	@Override
	public List<String> refusals(PhaseStatus status, PlanVersion version, PhaseSpec phase, Action action,
			boolean measure) {
		if (action != Action.APPLY) {
			return List.of();
		}
		return refusal(version).map(List::of).orElse(List.of());
	}

	/** Why the plan's window refuses an apply now, if it does. */
	java.util.Optional<String> refusal(PlanVersion version) {
		WindowSpec window = version.spec().window();
		if (window == null) {
			return java.util.Optional.empty();
		}
		Instant now = this.clock.instant();
		WindowSpec.State state = window.at(now);
		if (state.open()) {
			return java.util.Optional.empty();
		}
		String next = (state.opens() == null) ? "no window opens in the next year"
				: "the next window opens at " + at(state.opens(), window.zone()) + ", in " + in(now, state.opens());
		return java.util.Optional
			.of("Plan " + version.plan() + " applies only in its window, " + window.text() + "; " + next + ".");
	}

	static String at(Instant instant, ZoneId zone) {
		return WHEN.format(instant.atZone(zone)) + " " + zone.getId();
	}

	/**
	 * The time from now to then in words: {@code 2 d 3 h}, {@code 3 h 05 min},
	 * {@code 12 min}.
	 */
	static String in(Instant now, Instant then) {
		long minutes = (long) Math.ceil(Duration.between(now, then).toSeconds() / 60.0);
		if (minutes < 60) {
			return minutes + " min";
		}
		long hours = minutes / 60;
		if (hours < 48) {
			return String.format(Locale.ROOT, "%d h %02d min", hours, minutes % 60);
		}
		return String.format(Locale.ROOT, "%d d %d h", hours / 24, hours % 24);
	}

}
