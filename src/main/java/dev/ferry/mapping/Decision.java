package dev.ferry.mapping;

import java.time.Instant;

/**
 * A reviewer's decision on an old record.
 *
 * @param status {@code manual} or {@code excluded}
 * @param newKey the chosen new record ({@code manual}), or null
 * @param reason why there is no match ({@code excluded}; optional note for
 * {@code manual}), or null
 * @param decidedBy who decided
 * @param decidedAt when
 * @param stale whether a newer dry run no longer has the chosen record, so the item is
 * open again
 */
public record Decision(MatchStatus status, String newKey, String reason, String decidedBy, Instant decidedAt,
		boolean stale) {

}
