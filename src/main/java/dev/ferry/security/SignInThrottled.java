package dev.ferry.security;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/**
 * A sign-in refused without checking its password, because the user name or the client's
 * address failed too often in a row; it is allowed again after {@link #retryAfter()}.
 */
public class SignInThrottled extends AuthenticationException {

	private final Duration retryAfter;

	public SignInThrottled(Duration retryAfter) {
		super("Too many failed sign-ins for this user name or from this address: try again in " + seconds(retryAfter)
				+ " s.");
		this.retryAfter = retryAfter;
	}

	/** How long until the next attempt is checked. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/** Whole seconds to wait, at least one. */
	public long retryAfterSeconds() {
		return seconds(this.retryAfter);
	}

	private static long seconds(Duration duration) {
		return Math.max(1, (duration.toMillis() + 999) / 1000);
	}

}
