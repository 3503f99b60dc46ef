package dev.ferry.snapshot;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot: what one succeeded run of a snapshot phase copied.
 *
 * @param runId the run
 * @param plan the plan
 * @param phase the snapshot phase
 * @param takenAt when its first table was copied
 * @param expiresAt when retention deletes its files, or {@code null} when nothing expires
 * @param expiredAt when it did, or {@code null}
 * @param files its files with their sizes now (none once expired)
 * @param bytes the sizes of its files together
 * @param tables its tables in the order copied
 */
public record Snapshot(long runId, String plan, String phase, Instant takenAt, Instant expiresAt, Instant expiredAt,
		List<SnapshotFile> files, long bytes, List<SnapshotTable> tables) {

	public Snapshot {
		files = List.copyOf(files);
		tables = List.copyOf(tables);
	}

	public boolean expired() {
		return this.expiredAt != null;
	}

	/** A file of a snapshot, its size and the tables it holds. */
	public record SnapshotFile(String name, long bytes, List<String> tables) {

		public SnapshotFile {
			tables = List.copyOf(tables);
		}

	}

}
