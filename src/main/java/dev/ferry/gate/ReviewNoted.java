package dev.ferry.gate;

/**
 * Published when a note is added to a dry run's conversation, in the transaction that
 * records it.
 *
 * @param note the note
 */
public record ReviewNoted(ReviewNote note) {
}
