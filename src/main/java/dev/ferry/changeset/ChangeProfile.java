package dev.ferry.changeset;

import java.util.List;

/**
 * A change set per column, computed once when the dry run seals it: for the updates, each
 * column they change with how many rows and its most common before → after pairs; for the
 * inserts, each column's nulls, distinct values and most common values. The most common
 * values are counted exactly while few values repeat and with a bounded summary
 * (space-saving) beyond that; distinct values are counted up to {@link #DISTINCT_LIMIT}.
 *
 * @param updated the columns the updates change, the most rows first
 * @param inserted the columns of the inserts, in the table's order
 */
public record ChangeProfile(List<Updated> updated, List<Inserted> inserted) {

	/** Distinct values are counted up to this many; more is "more than". */
	public static final int DISTINCT_LIMIT = 10_000;

	public static final ChangeProfile EMPTY = new ChangeProfile(List.of(), List.of());

	/**
	 * A column the updates change.
	 *
	 * @param exact whether the counts of {@code top} are exact (else lower bounds: more
	 * pairs came than the summary keeps)
	 */
	public record Updated(String column, long rows, List<Pair> top, boolean exact) {
	}

	/** A before → after change of a column, and on how many rows. */
	public record Pair(String before, String after, long rows) {
	}

	/**
	 * A column of the inserts.
	 *
	 * @param distinctMore whether there are more distinct values than {@code distinct}
	 * @param exact whether the counts of {@code top} are exact (else lower bounds)
	 */
	public record Inserted(String column, long rows, long nulls, long distinct, boolean distinctMore, List<Value> top,
			boolean exact) {

		/** Whether no value of the column repeats (as far as the summary saw). */
		public boolean unique() {
			return this.top.stream().allMatch(value -> value.rows() <= 1);
		}

	}

	/** A value and on how many rows. */
	public record Value(String value, long rows) {
	}

}
