package dev.ferry.mapping;

import java.time.Instant;

/**
 * What a mapping dry run keeps beside its header and totals, or what a purge of it freed.
 *
 * @param runId the dry run
 * @param items its items, one per old record
 * @param tableRows the store's table rows that hold them (the best new keys of a
 * {@code unique-new} phase included)
 * @param fileBytes the bytes of its report file {@code mapping.csv}
 * @param purgedAt when its items were purged, or null while they are kept
 * @param purgedBy who purged them, or null
 */
public record MappingStorage(long runId, long items, long tableRows, long fileBytes, Instant purgedAt,
		String purgedBy) {

	public boolean purged() {
		return this.purgedAt != null;
	}

}
