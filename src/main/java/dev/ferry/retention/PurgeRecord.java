package dev.ferry.retention;

import java.time.Instant;

/**
 * A purge done: what was freed where, why it was allowed, by whom and when.
 */
public record PurgeRecord(StorageItem item, String purgedBy, Instant purgedAt) {
}
