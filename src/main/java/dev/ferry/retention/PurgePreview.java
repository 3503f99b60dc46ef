package dev.ferry.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The dry run of a purge: what it would free now, and what it keeps and why.
 *
 * @param at when it was worked out
 * @param maxAge {@code ferry.retention.max-age}, or null when nothing is purged by age
 * @param schedule {@code ferry.retention.schedule}, or null when the purge runs only when
 * asked
 * @param purgeable what a purge would free, oldest run first
 * @param kept what is kept, each with the reason, oldest run first
 * @param totals what {@code purgeable} adds up to
 */
public record PurgePreview(Instant at, Duration maxAge, String schedule, List<StorageItem> purgeable,
		List<StorageItem> kept, StorageTotals totals) {

	public PurgePreview {
		purgeable = List.copyOf(purgeable);
		kept = List.copyOf(kept);
	}

}
