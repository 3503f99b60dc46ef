package dev.ferry.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.ferry.security.ApiToken;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * The {@code api_tokens} table: a token is found by the sha256 of its text, never by the
 * text itself, which is not kept.
 */
@Component
public class ApiTokenStore {

	/** How much of a token the list shows: "ferry_" and six characters of its 43. */
	static final int PREFIX = 12;

	private static final String COLUMNS = "id, name, prefix, created_at, expires_at, last_used_at, revoked_at";

	private final JdbcClient store;

	ApiTokenStore(JdbcClient store) {
		this.store = store;
	}

	/** What the filter needs to know of a presented token. */
	record Presented(long id, String name, String username, Instant expiresAt, Instant revokedAt, Instant lastUsedAt,
			boolean userEnabled) {
	}

	public ApiToken create(String username, String name, String secret, Instant now, Instant expiresAt) {
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		this.store.sql("""
				INSERT INTO api_tokens (username, name, token_sha256, prefix, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?)
				""")
			.params(username, name, sha256(secret), secret.substring(0, Math.min(secret.length(), PREFIX)),
					Timestamp.from(now), expiresAt == null ? null : Timestamp.from(expiresAt))
			.update(keys, "id");
		return find(username, keys.getKeyAs(Number.class).longValue()).orElseThrow();
	}

	/** The user's tokens, newest first. */
	public List<ApiToken> ofUser(String username, int limit) {
		return this.store.sql("SELECT " + COLUMNS + " FROM api_tokens WHERE username = ? ORDER BY id DESC LIMIT ?")
			.params(username, limit)
			.query((rs, row) -> token(rs))
			.list();
	}

	public Optional<ApiToken> find(String username, long id) {
		return this.store.sql("SELECT " + COLUMNS + " FROM api_tokens WHERE username = ? AND id = ?")
			.params(username, id)
			.query((rs, row) -> token(rs))
			.optional();
	}

	public boolean nameTaken(String username, String name) {
		return this.store.sql("SELECT count(*) FROM api_tokens WHERE username = ? AND name = ? AND revoked_at IS NULL")
			.params(username, name)
			.query(Long.class)
			.single() > 0;
	}

	public boolean revoke(String username, long id, Instant now) {
		return this.store
			.sql("UPDATE api_tokens SET revoked_at = ? WHERE username = ? AND id = ? AND revoked_at IS NULL")
			.params(Timestamp.from(now), username, id)
			.update() > 0;
	}

	Optional<Presented> presented(String secret) {
		return this.store.sql("""
				SELECT t.id, t.name, t.username, t.expires_at, t.revoked_at, t.last_used_at, u.enabled
				FROM api_tokens t JOIN users u ON u.username = t.username
				WHERE t.token_sha256 = ?
				""")
			.param(sha256(secret))
			.query((rs, row) -> new Presented(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4),
					instant(rs, 5), instant(rs, 6), rs.getBoolean(7)))
			.optional();
	}

	/** Notes the use, at most once a minute per token (it is not a request log). */
	void used(long id, Instant now) {
		Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
		this.store
			.sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
			.params(Timestamp.from(minute), id, Timestamp.from(minute))
			.update();
	}

	static String sha256(String secret) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static ApiToken token(ResultSet rs) throws SQLException {
		return new ApiToken(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
				instant(rs, 6), instant(rs, 7));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

}
