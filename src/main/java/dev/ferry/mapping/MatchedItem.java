package dev.ferry.mapping;

import java.util.List;

/**
 * What a dry run found for one old record.
 *
 * @param old the old record
 * @param status {@code auto}, {@code ambiguous}, {@code unresolved} or {@code conflict}
 * @param bestScore the best candidate's score, or null without candidates
 * @param bestNewKey the best candidate's key (what {@code auto} maps to), or null
 * @param candidateCount how many new records share the old record's block value
 * @param candidates the best {@value MatchRules#CANDIDATES_KEPT} of them, best first
 */
public record MatchedItem(MatchRecord old, MatchStatus status, Double bestScore, String bestNewKey, int candidateCount,
		List<Candidate> candidates) {

	public MatchedItem {
		candidates = List.copyOf(candidates);
	}

	MatchedItem withStatus(MatchStatus newStatus) {
		return new MatchedItem(this.old, newStatus, this.bestScore, this.bestNewKey, this.candidateCount,
				this.candidates);
	}

}
