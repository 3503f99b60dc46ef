package dev.ferry.connection;

import java.time.Instant;

/**
 * A connection as pages and the API show it: never the secret, only whether one is
 * stored.
 */
public record ConnectionView(String name, ConnectionKind kind, String jdbcUrl, String username, boolean readOnly,
		boolean hasSecret, Instant createdAt, Instant updatedAt) {

}
