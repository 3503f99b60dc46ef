package dev.ferry.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.internal.ApiTokenStore;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A signed-in user's own API tokens: made (the token is shown once and only its sha256
 * kept), listed, revoked. A token acts as its user with the roles the user has at each
 * request; revoking it stops it at the next request. Making or revoking one is recorded
 * like any other change to the account.
 */
@Service
public class ApiTokenService {

	/** The most tokens one user may hold at once. */
	public static final int MAX_ACTIVE = 20;

	private static final int MAX_LIST = 100;

	private final ApiTokenStore store;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final SecureRandom random = new SecureRandom();

	ApiTokenService(ApiTokenStore store, Clock clock, ApplicationEventPublisher events) {
		this.store = store;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Makes a token for the signed-in user.
	 * @param name what it is for, 1 to 80 characters, unique among the user's active
	 * tokens
	 * @param lifetime how long it works, or null for until revoked
	 */
	@PreAuthorize("isAuthenticated()")
	@Transactional
	public NewApiToken create(String name, Duration lifetime) {
		String username = me();
		String label = name == null ? "" : name.strip();
		if (label.isEmpty() || label.length() > 80) {
			throw new RefusedException("token.name.invalid", "A token's name is 1 to 80 characters.");
		}
		if (this.store.nameTaken(username, label)) {
			throw new RefusedException("token.name.taken",
					"You already have an active token named " + label + ": revoke it or choose another name.", label);
		}
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		if (this.store.ofUser(username, MAX_ACTIVE + MAX_LIST)
			.stream()
			.filter(token -> token.active(now))
			.count() >= MAX_ACTIVE) {
			throw new RefusedException("token.tooMany",
					"You have " + MAX_ACTIVE + " active tokens, the most one user may hold: revoke one first.",
					MAX_ACTIVE);
		}
		if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
			throw new RefusedException("token.lifetime.invalid", "A token's lifetime is a positive duration.");
		}
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String secret = "ferry_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		ApiToken token = this.store.create(username, label, secret, now, lifetime == null ? null : now.plus(lifetime));
		this.events.publishEvent(new AccountChanged(username, "API token " + label + " created", username));
		return new NewApiToken(token, secret);
	}

	/** The signed-in user's tokens, newest first, revoked ones too. */
	@PreAuthorize("isAuthenticated()")
	@Transactional(readOnly = true)
	public List<ApiToken> mine() {
		return this.store.ofUser(me(), MAX_LIST);
	}

	/** Revokes one of the signed-in user's tokens; it stops at its next request. */
	@PreAuthorize("isAuthenticated()")
	@Transactional
	public ApiToken revoke(long id) {
		String username = me();
		ApiToken token = this.store.find(username, id)
			.orElseThrow(() -> new NotFoundException("token.notFound", "You have no API token #" + id + ".", id));
		if (this.store.revoke(username, id, this.clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
			this.events.publishEvent(new AccountChanged(username, "API token " + token.name() + " revoked", username));
		}
		return this.store.find(username, id).orElseThrow();
	}

	private static String me() {
		return CurrentUser.get()
			.map(CurrentUser::username)
			.orElseThrow(() -> new RefusedException("account.notSignedIn", "Nobody is signed in."));
	}

}
