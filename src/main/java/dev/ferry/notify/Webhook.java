package dev.ferry.notify;

import java.time.Instant;
import java.util.List;

/**
 * A webhook as pages and the API show it: its secret is never shown, only whether it has
 * one.
 *
 * @param id its id
 * @param name its name
 * @param url where deliveries are posted
 * @param format {@code ferry} (Ferry's JSON) or {@code slack} (a message Slack-compatible
 * incoming webhooks accept)
 * @param events the events it is told of
 * @param plan only this plan's events, or {@code null} for every plan's
 * @param hasSecret whether deliveries are signed
 * @param enabled whether events become deliveries
 */
public record Webhook(long id, String name, String url, String format, List<String> events, String plan,
		boolean hasSecret, boolean enabled, String createdBy, Instant createdAt, Instant updatedAt) {

	public Webhook {
		events = List.copyOf(events);
	}

}
