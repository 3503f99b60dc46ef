package dev.ferry.changeset;

/**
 * Which rows of a change set to list: one operation, one table, key values starting with
 * {@code q} (case-insensitive), rejected rows one rule rejected ({@code rule}, as the
 * counts by rule name it: {@code year: type integer}), and updates that change one column
 * ({@code column}, one of the change set's columns; it implies {@link ChangeOp#UPDATE});
 * null for all. Without an operation the list is the changes: every row but the
 * {@link ChangeOp#KEPT kept} ones.
 */
public record ChangeFilter(ChangeOp op, String table, String q, String rule, String column) {

	public static final ChangeFilter ALL = new ChangeFilter(null, null, null, null, null);

	public ChangeFilter(ChangeOp op, String table, String q) {
		this(op, table, q, null, null);
	}

	public ChangeFilter(ChangeOp op, String table, String q, String rule) {
		this(op, table, q, rule, null);
	}

}
