package dev.ferry.retention;

/**
 * The storage a purge is asked for: one run's storage of one kind.
 *
 * @param kind what to purge
 * @param runId the run whose storage it is
 */
public record PurgeTarget(StorageKind kind, long runId) {

	/** As the console's form and the page write it: {@code undo-images:12}. */
	public String code() {
		return this.kind.code() + ":" + this.runId;
	}

}
