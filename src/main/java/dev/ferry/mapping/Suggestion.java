package dev.ferry.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A new record whose block value is close to an unresolved old record's, though not
 * equal: what a reviewer is offered instead of candidates.
 *
 * @param newKey the new record's key, as text
 * @param similarity {@code 1 − Levenshtein distance / longer length} of the two
 * normalized block values, 0..1: what suggestions are ranked by
 * @param score the tie-breakers' weighted agreement, as a candidate's score (ranks
 * suggestions of equal similarity)
 * @param breakdown each tie-breaker's agreement, 0..1, in the plan's order
 * @param record the new record's compared values: the block column's, then each
 * tie-breaker's, as read
 */
public record Suggestion(String newKey, double similarity, double score, List<Double> breakdown, List<String> record) {

	/** How many suggestions an unresolved item keeps, closest first. */
	public static final int KEPT = 5;

	public Suggestion {
		breakdown = List.copyOf(breakdown);
		record = Collections.unmodifiableList(new ArrayList<>(record));
	}

	public static Suggestion of(double similarity, Candidate candidate) {
		return new Suggestion(candidate.newKey(), similarity, candidate.score(), candidate.breakdown(),
				candidate.record());
	}

	/** The suggestion as a candidate (its tie-breakers' score), for the forms. */
	public Candidate asCandidate() {
		return new Candidate(this.newKey, this.score, this.breakdown, this.record);
	}

}
