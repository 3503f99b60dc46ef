package dev.ferry.security.internal;

import java.nio.charset.StandardCharsets;

import dev.ferry.problem.RefusedException;

/**
 * What a password must be: long enough to resist guessing, short enough for BCrypt, which
 * only reads the first 72 bytes.
 */
final class PasswordPolicy {

	static final int MIN_LENGTH = 12;

	static final int MAX_BYTES = 72;

	private PasswordPolicy() {
	}

	static void check(String password) {
		if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
			throw new RefusedException("account.password.tooShort",
					"A password needs at least " + MIN_LENGTH + " characters.", MIN_LENGTH);
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
			throw new RefusedException("account.password.tooLong",
					"A password may have at most " + MAX_BYTES + " bytes.", MAX_BYTES);
		}
		if (password.isBlank()) {
			throw new RefusedException("account.password.blank", "A password cannot be blank.");
		}
	}

}
