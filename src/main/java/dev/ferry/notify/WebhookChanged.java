package dev.ferry.notify;

/**
 * A webhook was created, changed, deleted or pinged; for the audit log.
 *
 * @param change {@code created}, {@code changed}, {@code deleted} or {@code pinged}
 */
public record WebhookChanged(String name, String change, String by) {

}
