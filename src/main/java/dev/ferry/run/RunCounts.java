package dev.ferry.run;

/**
 * The rows a run accounted for: read = inserted + updated + unchanged + deleted +
 * rejected for the phases that read rows; conflicts are rows whose target changed since
 * the dry run.
 */
public record RunCounts(long read, long inserted, long updated, long unchanged, long deleted, long rejected,
		long conflicts) {

	public static final RunCounts NONE = new RunCounts(0, 0, 0, 0, 0, 0, 0);

	public RunCounts plus(RunCounts other) {
		return new RunCounts(this.read + other.read, this.inserted + other.inserted, this.updated + other.updated,
				this.unchanged + other.unchanged, this.deleted + other.deleted, this.rejected + other.rejected,
				this.conflicts + other.conflicts);
	}

}
