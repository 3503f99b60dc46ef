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
 * @param suggestions for an unresolved item, the new records whose block values are
 * closest to its own, closest first (at most {@value Suggestion#KEPT}); empty otherwise
 */
public record MatchedItem(MatchRecord old, MatchStatus status, Double bestScore, String bestNewKey, int candidateCount,
		List<Candidate> candidates, List<Suggestion> suggestions) {

	public MatchedItem {
		candidates = List.copyOf(candidates);
		suggestions = List.copyOf(suggestions);
	}

	public MatchedItem(MatchRecord old, MatchStatus status, Double bestScore, String bestNewKey, int candidateCount,
			List<Candidate> candidates) {
		this(old, status, bestScore, bestNewKey, candidateCount, candidates, List.of());
	}

	MatchedItem withStatus(MatchStatus newStatus) {
		return new MatchedItem(this.old, newStatus, this.bestScore, this.bestNewKey, this.candidateCount,
				this.candidates, this.suggestions);
	}

	public MatchedItem withSuggestions(List<Suggestion> closest) {
		return new MatchedItem(this.old, this.status, this.bestScore, this.bestNewKey, this.candidateCount,
				this.candidates, closest);
	}

}
