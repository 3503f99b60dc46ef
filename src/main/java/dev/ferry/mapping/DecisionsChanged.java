package dev.ferry.mapping;

/**
 * Published when the decisions of a mapping phase change (a decision, an undo, a bulk
 * accept, picks flagged stale by a dry run), in the transaction that changes them.
 *
 * @param plan the plan
 * @param phase the mapping phase
 * @param items how many items changed
 */
public record DecisionsChanged(String plan, String phase, long items) {
}
