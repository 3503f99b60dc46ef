package dev.ferry.changeset;

/**
 * Which rows of a change set to list: one operation, one table, and key values starting
 * with {@code q} (case-insensitive); null for all.
 */
public record ChangeFilter(ChangeOp op, String table, String q) {

	public static final ChangeFilter ALL = new ChangeFilter(null, null, null);

}
