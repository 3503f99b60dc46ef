package dev.ferry.changeset;

import java.util.List;

/**
 * One row of a change set as an executor hands it over. Values are canonical text (null
 * for SQL NULL), positional: {@code key} by the change set's key, {@code before} and
 * {@code after} by its columns. An insert has no before, a delete no after; a rejected
 * row has the values it could read as after, and its reasons; a kept row (a target row
 * the source no longer has, with {@code delete-missing} off) has the target's values as
 * before and no after.
 */
public record ChangeRow(ChangeOp op, String table, List<String> key, List<String> before, List<String> after,
		List<Rejection> reasons) {

	public static ChangeRow insert(String table, List<String> key, List<String> after) {
		return new ChangeRow(ChangeOp.INSERT, table, key, null, after, List.of());
	}

	public static ChangeRow update(String table, List<String> key, List<String> before, List<String> after) {
		return new ChangeRow(ChangeOp.UPDATE, table, key, before, after, List.of());
	}

	public static ChangeRow delete(String table, List<String> key, List<String> before) {
		return new ChangeRow(ChangeOp.DELETE, table, key, before, null, List.of());
	}

	public static ChangeRow rejected(String table, List<String> key, List<String> after, List<Rejection> reasons) {
		return new ChangeRow(ChangeOp.REJECTED, table, key, null, after, reasons);
	}

	public static ChangeRow kept(String table, List<String> key, List<String> before) {
		return new ChangeRow(ChangeOp.KEPT, table, key, before, null, List.of());
	}

}
