package dev.ferry.notify;

import java.time.Instant;

/**
 * One event for one webhook, and how sending it went.
 *
 * @param state {@code pending} (waiting for its next attempt), {@code delivered} or
 * {@code failed} (its attempts ran out)
 * @param lastStatus the HTTP status of the last attempt, or {@code null}
 * @param lastError why the last attempt failed, or {@code null}
 */
public record WebhookDelivery(long id, long webhookId, String webhook, String eventKey, String event, String plan,
		String summary, String state, int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError,
		Instant createdAt, Instant deliveredAt) {

}
