package dev.ferry.mapping;

import java.util.List;

/**
 * A new record scored against an old one.
 *
 * @param newKey the new record's key, as text
 * @param score the weighted share of tie-breakers that agree, 0..1
 * @param breakdown each tie-breaker's agreement, 0..1, in the plan's order (NULL on
 * either side: 0)
 * @param record the new record's compared values: the block column's, then each
 * tie-breaker's, as read (null for SQL NULL)
 */
public record Candidate(String newKey, double score, List<Double> breakdown, List<String> record) {

	public Candidate {
		breakdown = List.copyOf(breakdown);
		record = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(record));
	}

}
