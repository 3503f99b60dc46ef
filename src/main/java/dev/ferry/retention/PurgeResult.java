package dev.ferry.retention;

import java.util.List;

/**
 * What a purge freed.
 *
 * @param purged each storage purged, with what it freed
 * @param failed each storage that could not be purged (its database could not be reached,
 * or something needed it by the time its turn came), in words; nothing of it was deleted
 * @param totals what {@code purged} adds up to
 */
public record PurgeResult(List<StorageItem> purged, List<Failure> failed, StorageTotals totals) {

	public PurgeResult {
		purged = List.copyOf(purged);
		failed = List.copyOf(failed);
	}

	/** A storage not purged, and why. */
	public record Failure(PurgeTarget target, String plan, String phase, String reason) {
	}

}
