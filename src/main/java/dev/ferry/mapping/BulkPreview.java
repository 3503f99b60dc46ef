package dev.ferry.mapping;

/**
 * What a bulk accept would do.
 *
 * @param queue the queue
 * @param minScore the lowest best score accepted
 * @param accepted the items it would decide (best candidate ahead of the second)
 * @param tied the items at or above the score whose best candidates tie: left alone
 */
public record BulkPreview(Queue queue, double minScore, long accepted, long tied) {

}
