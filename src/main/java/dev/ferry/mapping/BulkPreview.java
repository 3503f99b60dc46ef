package dev.ferry.mapping;

import java.util.List;

/**
 * What a bulk accept would do.
 *
 * @param queue the queue
 * @param minScore the lowest best score accepted
 * @param accepted the items it would decide (best candidate ahead of the second)
 * @param tied the items at or above the score whose best candidates tie: left alone
 * @param filter the search and facets it works within
 * @param listed the first {@value #LISTED} items it would decide, in the dry run's order
 */
public record BulkPreview(Queue queue, double minScore, long accepted, long tied, QueueFilter filter,
		List<Listed> listed) {

	/** The items a preview lists. */
	public static final int LISTED = 100;

	public BulkPreview {
		filter = (filter == null) ? QueueFilter.NONE : filter;
		listed = List.copyOf(listed);
	}

	public BulkPreview(Queue queue, double minScore, long accepted, long tied) {
		this(queue, minScore, accepted, tied, QueueFilter.NONE, List.of());
	}

	/** The items it would decide beyond those listed. */
	public long more() {
		return Math.max(0, this.accepted - this.listed.size());
	}

	/**
	 * An item a bulk accept would decide, and the best candidate it would pick.
	 *
	 * @param oldKey the old record's key
	 * @param old the old record's values (the block value first)
	 * @param newKey the best candidate's key
	 * @param record the best candidate's values
	 * @param score the best candidate's score
	 */
	public record Listed(String oldKey, List<String> old, String newKey, List<String> record, double score) {

		public Listed {
			old = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(old));
			record = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(record));
		}

	}

}
