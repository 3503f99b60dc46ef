package dev.ferry.gate;

import java.time.Instant;

/**
 * A note in the conversation on a dry run: a comment, or a request for changes.
 *
 * @param id its id
 * @param plan the plan
 * @param phase the phase
 * @param runId the dry run it is about
 * @param reviewedSha256 what its author saw (as an approval names it), or null
 * @param kind a comment or a request for changes
 * @param author who wrote it
 * @param body the words
 * @param createdAt when
 */
public record ReviewNote(long id, String plan, String phase, long runId, String reviewedSha256, Kind kind,
		String author, String body, Instant createdAt) {

	/** What a note is. */
	public enum Kind {

		/** Words only. */
		COMMENT("comment"),

		/** A no: approving and applying the dry run are refused until a newer one. */
		CHANGES_REQUESTED("changes-requested");

		private final String code;

		Kind(String code) {
			this.code = code;
		}

		/** The name in the store, the API and the audit log. */
		public String code() {
			return this.code;
		}

		public static Kind of(String code) {
			for (Kind kind : values()) {
				if (kind.code.equals(code)) {
					return kind;
				}
			}
			throw new IllegalArgumentException("No review note kind " + code);
		}

	}

}
