package dev.ferry.plan.spec;

/**
 * Passes when at most {@code max} ambiguous, unresolved or conflicting records of the
 * mapping phase are undecided.
 */
public record MappingOpenGate(String id, Level level, long max) implements GateSpec {

	@Override
	public Check check() {
		return Check.MAPPING_OPEN;
	}

}
