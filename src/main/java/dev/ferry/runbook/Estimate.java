package dev.ferry.runbook;

import java.util.Locale;

/**
 * How long a step of the runbook is expected to take, and from what.
 *
 * @param seconds the estimate; null when there is nothing to estimate from
 * @param basis the measured figures it comes from (or why there are none), in words
 * @param impossible the step cannot be taken at all (the rollback of an irreversible
 * phase)
 */
public record Estimate(Double seconds, String basis, boolean impossible) {

	/** An estimate of {@code seconds}, from what {@code basis} says. */
	public static Estimate of(double seconds, String basis) {
		return new Estimate(seconds, basis, false);
	}

	/** No measure to estimate from. */
	public static Estimate notMeasured(String why) {
		return new Estimate(null, why, false);
	}

	/** A step that cannot be taken. */
	public static Estimate impossible(String why) {
		return new Estimate(null, why, true);
	}

	public boolean measured() {
		return this.seconds != null;
	}

	/** The estimate as the page and the Markdown show it. */
	public String text() {
		if (this.impossible) {
			return "not possible";
		}
		return (this.seconds == null) ? "not measured yet" : duration(this.seconds);
	}

	/**
	 * A duration in words, rounded up to the second: {@code under 1 s}, {@code 42 s},
	 * {@code 3 min 05 s}, {@code 1 h 02 min}.
	 */
	public static String duration(double seconds) {
		if (seconds <= 0) {
			return "0 s";
		}
		if (seconds < 1) {
			return "under 1 s";
		}
		long whole = (long) Math.ceil(seconds - 1e-9);
		if (whole < 60) {
			return whole + " s";
		}
		if (whole < 3600) {
			return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
		}
		long minutes = (whole + 59) / 60;
		return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
	}

	/** An offset from the start of the production run: {@code T+0:03:05}. */
	public static String offset(double seconds) {
		long whole = (long) Math.ceil(Math.max(0, seconds) - 1e-9);
		return String.format(Locale.ROOT, "T+%d:%02d:%02d", whole / 3600, (whole / 60) % 60, whole % 60);
	}

}
