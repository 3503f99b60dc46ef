package dev.ferry.plan.spec;

/**
 * Passes when the mapping phase's coverage is at least {@code atLeastPercent} (0..100).
 */
public record MappingCoverageGate(String id, Level level, double atLeastPercent) implements GateSpec {

	@Override
	public Check check() {
		return Check.MAPPING_COVERAGE;
	}

}
