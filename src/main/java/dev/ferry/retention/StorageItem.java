package dev.ferry.retention;

/**
 * One run's storage of one kind: what it holds (or what its purge freed), and whether it
 * may be purged now, with the reason either way.
 *
 * @param kind what it is
 * @param plan the plan of the run
 * @param phase its phase
 * @param runId the run that made it (the dry run, or the apply)
 * @param place where it is kept: Ferry's store, or the target connection and its undo
 * table
 * @param rows rows of the kind: change rows, mapping items or before-images
 * @param tableRows table rows a purge deletes in all (segments, best new keys, ledger
 * rows included)
 * @param fileBytes bytes of report files a purge deletes
 * @param purgeable whether nothing needs it any more
 * @param reason why it may be purged, or why it is kept
 */
public record StorageItem(StorageKind kind, String plan, String phase, long runId, String place, long rows,
		long tableRows, long fileBytes, boolean purgeable, String reason) {

	/** What a purge of it names: its kind and run. */
	public PurgeTarget target() {
		return new PurgeTarget(this.kind, this.runId);
	}

}
