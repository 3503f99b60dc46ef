package dev.ferry.importing;

/**
 * What a target keeps to undo one apply (an import's, or a mapping's), or what a purge of
 * it freed: its before-images in the table's undo table and its rows in the undo ledger.
 *
 * @param applyRun the apply
 * @param connection the target connection
 * @param table the table the apply wrote
 * @param undoTable the table of its before-images
 * @param images its before-images (an insert-only batch on PostgreSQL keeps one image
 * with every key it inserted)
 * @param tableRows the target's table rows in all: the images, one per batch in
 * {@code ferry_apply_batches} and the apply's row in {@code ferry_applies}
 */
public record UndoStorage(long applyRun, String connection, String table, String undoTable, long images,
		long tableRows) {

	/** Where it is kept, in words. */
	public String place() {
		return this.connection + ", " + this.undoTable;
	}

}
