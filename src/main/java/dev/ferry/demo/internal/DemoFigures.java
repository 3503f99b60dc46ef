package dev.ferry.demo.internal;

/**
 * The figures the demo workspace is planted to show, the same for every seed: how many
 * rows each side holds, how many source rows the ahs-v2 import rejects, and how the
 * legacy listings map before any review.
 *
 * @param cultivars rows of the source table {@code cultivars}
 * @param rejected source rows the plan's import rules reject (so the {@code few-rejects}
 * gate, max 25, passes)
 * @param legacyListings rows of the target table {@code AhsListing}, the mapping's old
 * side
 * @param listings rows of the target table {@code Listing}
 * @param listingsWithoutAhs listings whose {@code ahs_id} is NULL
 * @param auto legacy listings the mapping accepts automatically
 * @param autoByYear of those, the ones whose name is shared and the year decides
 * @param ambiguous legacy listings with candidates but no clear winner
 * @param unresolved legacy listings without any candidate
 */
public record DemoFigures(int cultivars, int rejected, int legacyListings, int listings, int listingsWithoutAhs,
		int auto, int autoByYear, int ambiguous, int unresolved) {

	static final int CULTIVARS = 50_000;

	static final int REJECTED = 18;

	static final int LEGACY_LISTINGS = 20_000;

	static final int LISTINGS = 30_000;

	static final int LISTINGS_WITHOUT_AHS = 1_500;

	static final int AUTO_BY_YEAR = 380;

	static final int AMBIGUOUS_SAME_YEAR = 80;

	static final int AMBIGUOUS_NO_YEAR = 80;

	static final int AMBIGUOUS_OTHER_HYBRIDIZER = 80;

	static final int AMBIGUOUS_ONE_CANDIDATE = 60;

	static final int AMBIGUOUS = AMBIGUOUS_SAME_YEAR + AMBIGUOUS_NO_YEAR + AMBIGUOUS_OTHER_HYBRIDIZER
			+ AMBIGUOUS_ONE_CANDIDATE;

	static final int UNRESOLVED_MISSPELLED = 270;

	static final int UNRESOLVED_REJECTED = 10;

	static final int UNRESOLVED = UNRESOLVED_MISSPELLED + UNRESOLVED_REJECTED;

	static final int AUTO = LEGACY_LISTINGS - AMBIGUOUS - UNRESOLVED;

	/** What every generated demo workspace holds. */
	public static final DemoFigures PLANTED = new DemoFigures(CULTIVARS, REJECTED, LEGACY_LISTINGS, LISTINGS,
			LISTINGS_WITHOUT_AHS, AUTO, AUTO_BY_YEAR, AMBIGUOUS, UNRESOLVED);

	/**
	 * Coverage of the mapping before any review: {@code auto / all} (nothing is excluded
	 * yet).
	 * @return a share in [0, 1]
	 */
	public double coverageBeforeReview() {
		return (double) this.auto / this.legacyListings;
	}

	/**
	 * How many reviewer picks ({@code manual} decisions) bring coverage to at least the
	 * given percentage, with nothing excluded.
	 * @param percent the coverage gate's threshold, for example 98
	 * @return the number of picks
	 */
	public int picksToReach(int percent) {
		long needed = (percent * (long) this.legacyListings + 99) / 100;
		return (int) Math.max(0, needed - this.auto);
	}

}
