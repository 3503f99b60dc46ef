package dev.ferry.plan.spec;

/**
 * Passes when the checksum of the ordered result of {@code query} on the connection
 * {@code on} equals the baseline taken by the plan's latest preflight run.
 */
public record QueryUnchangedGate(String id, Level level, String on, String query) implements GateSpec {

	@Override
	public Check check() {
		return Check.QUERY_UNCHANGED;
	}

}
