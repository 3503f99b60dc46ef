package dev.ferry.retention;

import java.time.Instant;

/**
 * A run's storage was purged (published in the purge's transaction, so the audit log
 * records it with it).
 *
 * @param item what was freed, where, and why it was allowed
 * @param purgedBy who purged it ({@code ferry-system} for the schedule)
 * @param purgedAt when
 */
public record StoragePurged(StorageItem item, String purgedBy, Instant purgedAt) {
}
