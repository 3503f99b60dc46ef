package dev.ferry.plan.spec;

/**
 * Passes when the first column of the first row of {@code query}, run on the connection
 * {@code on}, is within {@code bounds}.
 */
public record SqlGate(String id, Level level, String on, String query, Bounds bounds) implements GateSpec {

	@Override
	public Check check() {
		return Check.SQL;
	}

}
