package dev.ferry.changeset;

/**
 * Which rows of a change set to list: one operation, one table, key values starting with
 * {@code q} (case-insensitive), and rejected rows one rule rejected ({@code rule}, as the
 * counts by rule name it: {@code year: type integer}); null for all.
 */
public record ChangeFilter(ChangeOp op, String table, String q, String rule) {

	public static final ChangeFilter ALL = new ChangeFilter(null, null, null, null);

	public ChangeFilter(ChangeOp op, String table, String q) {
		this(op, table, q, null);
	}

}
