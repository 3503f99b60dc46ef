package dev.ferry.notify;

import java.util.List;

/**
 * Webhooks and their deliveries; everything here needs ADMIN (a webhook sends the
 * console's events out of Ferry).
 */
public interface WebhookService {

	List<Webhook> list();

	Webhook get(long id);

	/**
	 * @throws dev.ferry.problem.InvalidException for a bad name, URL (a host not on the
	 * allow-list of http gates), format, event or plan
	 */
	Webhook create(WebhookCommand command);

	Webhook update(long id, WebhookCommand command);

	void delete(long id);

	/** Queues a {@code ping} delivery to the webhook, sent with the next ones. */
	WebhookDelivery ping(long id);

	/**
	 * Deliveries, newest first, before the id {@code before} (keyset), of one webhook or
	 * of all.
	 */
	List<WebhookDelivery> deliveries(Long webhookId, Long before, int limit);

	/** Sends a failed delivery again: it becomes pending with its attempts reset. */
	WebhookDelivery retry(long deliveryId);

	/**
	 * Sends every pending delivery whose attempt is due, as the recurring task does.
	 * @return how many were attempted
	 */
	int deliverDue();

}
