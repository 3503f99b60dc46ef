package dev.ferry.plan.spec;

/** Passes when the import phase's latest dry run rejected at most {@code max} rows. */
public record RejectedRowsGate(String id, Level level, long max) implements GateSpec {

	@Override
	public Check check() {
		return Check.REJECTED_ROWS;
	}

}
