package dev.ferry.mapping;

import java.util.List;

/**
 * What a mapping dry run counted.
 *
 * @param oldRows old records read
 * @param newRows new records read
 * @param auto items computed {@code auto}
 * @param ambiguous items computed {@code ambiguous}
 * @param unresolved items computed {@code unresolved}
 * @param conflict items computed {@code conflict}
 * @param histogram items by best score in tenths: 11 counts, {@code [0, 0.1)} to
 * {@code [0.9, 1.0)} and exactly 1.0 (unresolved items have no score and are not in it)
 */
public record MappingTotals(long oldRows, long newRows, long auto, long ambiguous, long unresolved, long conflict,
		List<Long> histogram) {

	public static final int BUCKETS = 11;

	public MappingTotals {
		histogram = List.copyOf(histogram);
		if (histogram.size() != BUCKETS) {
			throw new IllegalArgumentException("A histogram has " + BUCKETS + " buckets, not " + histogram.size());
		}
	}

	/** The bucket of a best score: its tenth, and 10 for exactly 1. */
	public static int bucket(double score) {
		if (score >= 1.0 - MatchRules.EPSILON) {
			return 10;
		}
		// a score one epsilon under a tenth belongs to that tenth (0.3 is 0.29999...)
		return Math.max(0, Math.min(9, (int) Math.floor(score * 10 + MatchRules.EPSILON)));
	}

}
