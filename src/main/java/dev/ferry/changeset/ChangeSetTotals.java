package dev.ferry.changeset;

/**
 * What a dry run counted: rows read (source rows, plus the target rows it would delete)
 * = inserted + updated + unchanged + deleted + rejected; the source's and the target's
 * rows as the dry run read them.
 */
public record ChangeSetTotals(long sourceRows, long targetRows, long read, long inserted, long updated,
		long unchanged, long deleted, long rejected) {

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
		};
	}

}
