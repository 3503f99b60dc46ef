package dev.ferry.audit;

import java.time.Instant;

/**
 * One entry of the audit log.
 *
 * @param seq its place in the log, from 1
 * @param at when
 * @param actor who (a user, or {@code ferry-system})
 * @param via how the actor did it when not in the console or with a password: the API
 * token, e.g. {@code token ci-pipeline}; else null
 * @param action what, e.g. {@code run.requested}
 * @param subject what it was done to, e.g. {@code ahs-v2/import run #3}
 * @param details more, in words, or null
 * @param hash the sha256 chaining it to the entry before
 */
public record AuditEntry(long seq, Instant at, String actor, String via, String action, String subject, String details,
		String hash) {
}
