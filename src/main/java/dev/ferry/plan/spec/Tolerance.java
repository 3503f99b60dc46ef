package dev.ferry.plan.spec;

/**
 * How far a measured count may be from the expected one: a percentage of the expected
 * count ({@code 0.5%}) or a number of rows ({@code 10}).
 */
public record Tolerance(double amount, Unit unit) {

	public static Tolerance percent(double percent) {
		return new Tolerance(percent, Unit.PERCENT);
	}

	public static Tolerance rows(long rows) {
		return new Tolerance(rows, Unit.ROWS);
	}

	/** What {@link #amount()} counts. */
	public enum Unit {

		PERCENT, ROWS

	}

}
