package dev.ferry.plan.spec;

/**
 * Passes when the rows of {@code table} are within {@code tolerance} of the expected
 * count.
 */
public record RowCountGate(String id, Level level, TableRef table, Expected expect,
		Tolerance tolerance) implements GateSpec {

	@Override
	public Check check() {
		return Check.ROW_COUNT;
	}

	/** The expected count: another table's rows or a fixed number. */
	public sealed interface Expected permits TableRows, FixedRows {

	}

	/** As many rows as another table has. */
	public record TableRows(TableRef table) implements Expected {

	}

	/** A fixed number of rows. */
	public record FixedRows(long rows) implements Expected {

	}

}
