package dev.ferry.changeset;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.ferry.problem.RefusedException;

/**
 * What a change set keeps beside its header, or what a purge of it freed.
 *
 * @param runId the run whose change set it is
 * @param rows the change rows (kept rows included)
 * @param tableRows the store's table rows that hold them
 * @param fileBytes the bytes of its report file {@code changes.csv}, a copy of the rows
 * @param purgedAt when its rows were purged, or null while they are kept
 * @param purgedBy who purged them, or null
 */
public record ChangeSetStorage(long runId, long rows, long tableRows, long fileBytes, Instant purgedAt,
		String purgedBy) {

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	public boolean purged() {
		return this.purgedAt != null;
	}

	/**
	 * The refusal (409) of reading the rows once they were purged, saying when and by
	 * whom; the header can still be read.
	 */
	public RefusedException rowsPurged() {
		String when = WHEN.format(this.purgedAt);
		return new RefusedException("changes.purged", "The rows of run #" + this.runId
				+ "'s change set were purged on " + when + " by " + this.purgedBy
				+ "; its summary, totals and sha256 remain.", String.valueOf(this.runId), when, this.purgedBy);
	}

}
