package dev.ferry.snapshot;

import java.time.Instant;

/** Retention deleted the files of a snapshot; for the audit log. */
public record SnapshotExpired(long runId, Instant at) {

}
