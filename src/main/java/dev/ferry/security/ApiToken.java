package dev.ferry.security;

import java.time.Instant;

/**
 * One of a user's API tokens as the profile page lists it: never the token itself, only
 * its first characters to tell it apart.
 *
 * @param id its id
 * @param name what the user called it, e.g. {@code ci-pipeline}
 * @param prefix the first characters of the token
 * @param createdAt when it was made
 * @param expiresAt when it stops working, or null for never
 * @param lastUsedAt when it last authenticated a request (to the minute), or null
 * @param revokedAt when it was revoked, or null
 */
public record ApiToken(long id, String name, String prefix, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
		Instant revokedAt) {

	/** Whether it authenticates requests now. */
	public boolean active(Instant now) {
		return this.revokedAt == null && (this.expiresAt == null || this.expiresAt.isAfter(now));
	}

}
