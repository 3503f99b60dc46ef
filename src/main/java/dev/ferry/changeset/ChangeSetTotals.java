package dev.ferry.changeset;

/**
 * What a dry run counted: rows read (source rows, plus the target rows it would delete)
 * = inserted + updated + unchanged + deleted + rejected; the source's and the target's
 * rows as the dry run read them; {@code kept}, the target rows whose key the source no
 * longer has and that stay because {@code delete-missing} is off (no change: not in
 * {@code read}; with {@code delete-missing} on they are {@code deleted}).
 */
public record ChangeSetTotals(long sourceRows, long targetRows, long read, long inserted, long updated,
		long unchanged, long deleted, long rejected, long kept) {

	/**
	 * How many kept rows a change set lists, the first by key; all are counted. A small
	 * delivery into a large table with {@code delete-missing} off would otherwise store
	 * the whole table in Ferry's store, for rows that are no change.
	 */
	public static final long KEPT_LISTED = 10_000;

	/** The kept rows listed: all of them up to {@link #KEPT_LISTED}. */
	public long keptListed() {
		return Math.min(this.kept, KEPT_LISTED);
	}

	public ChangeSetTotals(long sourceRows, long targetRows, long read, long inserted, long updated, long unchanged,
			long deleted, long rejected) {
		this(sourceRows, targetRows, read, inserted, updated, unchanged, deleted, rejected, 0);
	}

	/** The rows of the target table after an apply of the change set. */
	public long projectedTargetRows() {
		return this.targetRows + this.inserted - this.deleted;
	}

	public long count(ChangeOp op) {
		return switch (op) {
			case INSERT -> this.inserted;
			case UPDATE -> this.updated;
			case DELETE -> this.deleted;
			case REJECTED -> this.rejected;
			case KEPT -> this.kept;
		};
	}

}
