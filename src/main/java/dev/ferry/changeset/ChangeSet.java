package dev.ferry.changeset;

import java.time.Instant;
import java.util.List;

/**
 * A dry run's change set as pages and the API show it. {@code totals} and
 * {@code sha256} are null until the dry run has finished (sealed it).
 */
public record ChangeSet(long runId, String plan, int planVersion, String phase, String connection, String table,
		List<ChangeColumn> columns, List<String> key, long rowCount, ChangeSetTotals totals, String sha256,
		Instant createdAt, Instant sealedAt) {

	public boolean sealed() {
		return this.sealedAt != null;
	}

}
