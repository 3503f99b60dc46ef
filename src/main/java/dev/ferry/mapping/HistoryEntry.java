package dev.ferry.mapping;

import java.time.Instant;

/**
 * One step of an item's history.
 *
 * @param action {@code decided}, {@code undone} or {@code stale}
 * @param status the decision's status ({@code decided}), or null
 * @param newKey the chosen record, or null
 * @param reason the reason, or null
 * @param actor who (the system for {@code stale})
 * @param at when
 * @param version the item's version after the step
 */
public record HistoryEntry(String action, MatchStatus status, String newKey, String reason, String actor, Instant at,
		long version) {

}
