package dev.ferry.mapping;

/**
 * Published when the decisions of a mapping phase change (a decision, an undo, a bulk
 * accept, picks flagged stale by a dry run), in the transaction that changes them.
 *
 * @param plan the plan
 * @param phase the mapping phase
 * @param items how many items changed
 * @param change {@code decided}, {@code undone}, {@code bulk-accepted} or
 * {@code flagged-stale}
 * @param oldKey the item's old key when one item changed, else null
 * @param detail the decision in words (the status and new key, the reason), or null
 */
public record DecisionsChanged(String plan, String phase, long items, String change, String oldKey, String detail) {
}
