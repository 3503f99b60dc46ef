package dev.ferry.gate.internal;

import java.math.BigDecimal;
import java.util.Locale;

import dev.ferry.gate.internal.GateChecks.Measured;
import dev.ferry.plan.spec.Bounds;
import dev.ferry.plan.spec.GateSpec;
import dev.ferry.plan.spec.HttpGate;
import dev.ferry.plan.spec.MappingCoverageGate;
import dev.ferry.plan.spec.MappingOpenGate;
import dev.ferry.plan.spec.RejectedRowsGate;
import dev.ferry.plan.spec.RowCountGate;
import dev.ferry.plan.spec.SchemaMatchesGate;
import dev.ferry.plan.spec.SnapshotFreshGate;
import dev.ferry.plan.spec.SqlGate;
import dev.ferry.plan.spec.Tolerance;

/**
 * What a gate's value must satisfy: the threshold in words, the rows a tolerance allows,
 * and whether a value is within {@code min}/{@code max} or {@code equals}.
 */
final class GateThresholds {

	private GateThresholds() {
	}

	static long allowed(Tolerance tolerance, long expected) {
		return tolerance.unit() == Tolerance.Unit.PERCENT
				? (long) Math.floor(Math.abs(expected) * tolerance.amount() / 100.0) : (long) tolerance.amount();
	}

	/** A value against {@code min}/{@code max} (numbers) or {@code equals}. */
	static Measured bounded(String value, Bounds bounds, String threshold) {
		String text = value.strip();
		BigDecimal number = number(text);
		if (bounds.equals() != null) {
			BigDecimal expected = number(bounds.equals());
			boolean same = (number != null && expected != null) ? number.compareTo(expected) == 0
					: text.equals(bounds.equals());
			return new Measured(text, threshold, same, null, null);
		}
		if (number == null) {
			return new Measured(text, threshold, false, "\"" + text + "\" is not a number.", null);
		}
		boolean within = (bounds.min() == null || number.compareTo(bounds.min()) >= 0)
				&& (bounds.max() == null || number.compareTo(bounds.max()) <= 0);
		return new Measured(text, threshold, within, null, null);
	}

	private static BigDecimal number(String text) {
		try {
			return new BigDecimal(text.strip());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** What a gate's value must satisfy, in words. */
	static String threshold(GateSpec gate) {
		if (gate instanceof RowCountGate rowCount) {
			return "within " + tolerance(rowCount.tolerance()) + " of "
					+ ((rowCount.expect() instanceof RowCountGate.FixedRows fixed)
							? String.format(Locale.ROOT, "%,d", fixed.rows())
							: ((RowCountGate.TableRows) rowCount.expect()).table().toString());
		}
		if (gate instanceof RejectedRowsGate rejected) {
			return String.format(Locale.ROOT, "at most %,d", rejected.max());
		}
		if (gate instanceof MappingCoverageGate coverage) {
			return "at least " + plain(coverage.atLeastPercent()) + "%";
		}
		if (gate instanceof MappingOpenGate open) {
			return String.format(Locale.ROOT, "at most %,d open", open.max());
		}
		if (gate instanceof SqlGate sql) {
			return bounds(sql.bounds());
		}
		if (gate instanceof SchemaMatchesGate schema) {
			return "the same as on " + schema.reference();
		}
		if (gate instanceof HttpGate endpoint) {
			return bounds(endpoint.bounds());
		}
		if (gate instanceof SnapshotFreshGate fresh) {
			return "a snapshot younger than " + SnapshotChecks.age(fresh.maxAge());
		}
		return "equal to the preflight baseline";
	}

	private static String bounds(Bounds bounds) {
		if (bounds.equals() != null) {
			return "equal to " + bounds.equals();
		}
		if (bounds.min() != null && bounds.max() != null) {
			return "between " + bounds.min().toPlainString() + " and " + bounds.max().toPlainString();
		}
		return (bounds.min() != null) ? "at least " + bounds.min().toPlainString()
				: "at most " + bounds.max().toPlainString();
	}

	private static String tolerance(Tolerance tolerance) {
		return tolerance.unit() == Tolerance.Unit.PERCENT ? "±" + plain(tolerance.amount()) + "%"
				: String.format(Locale.ROOT, "±%,d rows", (long) tolerance.amount());
	}

	private static String plain(double number) {
		return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
	}

}
