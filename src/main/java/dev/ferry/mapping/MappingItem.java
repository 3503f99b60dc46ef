package dev.ferry.mapping;

import java.util.List;

/**
 * An old record of the latest dry run, with its decision.
 *
 * @param runId the dry run
 * @param seq its place in the dry run's order
 * @param oldKey the old record's key
 * @param old the old record's compared values (block column, then each tie-breaker's)
 * @param computed the status the dry run computed
 * @param bestScore the best candidate's score, or null
 * @param bestNewKey the best candidate's key, or null
 * @param candidateCount how many candidates there were
 * @param candidates the best of them, best first
 * @param decision the reviewer's decision, or null
 * @param version the item's version, for optimistic locking (0 before any decision)
 * @param suggestions for an unresolved item, the new records closest to it by block
 * value, closest first
 */
public record MappingItem(long runId, long seq, String oldKey, List<String> old, MatchStatus computed, Double bestScore,
		String bestNewKey, int candidateCount, List<Candidate> candidates, Decision decision, long version,
		List<Suggestion> suggestions) {

	public MappingItem {
		suggestions = List.copyOf(suggestions);
	}

	/** The decision while it stands (not undone, not stale), else null. */
	public Decision standing() {
		return (this.decision != null && this.decision.status() != null && !this.decision.stale()) ? this.decision
				: null;
	}

	/** The decision's status while it stands, else the computed one. */
	public MatchStatus status() {
		Decision standing = standing();
		return (standing != null) ? standing.status() : this.computed;
	}

	/** What the item maps to now: the pick, the {@code auto} candidate, or null. */
	public String newKey() {
		MatchStatus status = status();
		if (status == MatchStatus.MANUAL) {
			return this.decision.newKey();
		}
		return (status == MatchStatus.AUTO) ? this.bestNewKey : null;
	}

}
