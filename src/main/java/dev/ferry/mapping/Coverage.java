package dev.ferry.mapping;

import java.util.List;

/**
 * A mapping phase's items by their current status (decisions applied to the latest dry
 * run's computed statuses) and its coverage.
 *
 * @param runId the latest sealed dry run
 * @param auto items {@code auto} and not decided otherwise
 * @param manual items a reviewer picked a new record for
 * @param excluded items a reviewer said have no match
 * @param ambiguous open {@code ambiguous} items
 * @param unresolved open {@code unresolved} items
 * @param conflict open {@code conflict} items
 * @param histogram best scores of the dry run, see {@link MappingTotals#histogram()}
 */
public record Coverage(long runId, long auto, long manual, long excluded, long ambiguous, long unresolved,
		long conflict, List<Long> histogram) {

	public Coverage {
		histogram = List.copyOf(histogram);
	}

	public long all() {
		return this.auto + this.manual + this.excluded + this.ambiguous + this.unresolved + this.conflict;
	}

	/** Items still waiting for a reviewer. */
	public long open() {
		return this.ambiguous + this.unresolved + this.conflict;
	}

	/**
	 * (auto + manual) / (all − excluded), 0..1; 1 when every item is excluded (nothing is
	 * left to map).
	 */
	public double coverage() {
		long base = all() - this.excluded;
		return (base == 0) ? 1.0 : (double) (this.auto + this.manual) / base;
	}

	/**
	 * Each histogram bucket's height as a share of the largest, 0..100, for drawing: at
	 * least 4 when the bucket has any item, so a small count still shows.
	 */
	public List<Integer> histogramHeights() {
		long max = this.histogram.stream().mapToLong(Long::longValue).max().orElse(0);
		return this.histogram.stream()
			.map(n -> (n == 0 || max == 0) ? 0 : (int) Math.max(4, Math.round(100.0 * n / max)))
			.toList();
	}

	/**
	 * The items by current status, in the order the dashboard's bar shows them: auto,
	 * manual, excluded, ambiguous, unresolved, conflict.
	 */
	public List<Part> parts() {
		return List.of(new Part(MatchStatus.AUTO, this.auto), new Part(MatchStatus.MANUAL, this.manual),
				new Part(MatchStatus.EXCLUDED, this.excluded), new Part(MatchStatus.AMBIGUOUS, this.ambiguous),
				new Part(MatchStatus.UNRESOLVED, this.unresolved), new Part(MatchStatus.CONFLICT, this.conflict));
	}

	/** One status's share of the items. */
	public record Part(MatchStatus status, long count) {

		public String code() {
			return this.status.code();
		}

	}

}
