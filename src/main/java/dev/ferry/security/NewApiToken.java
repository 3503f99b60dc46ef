package dev.ferry.security;

/**
 * A token just made: the only time its secret exists outside the request that uses it.
 *
 * @param token the stored view
 * @param secret the token to put in {@code Authorization: Bearer}, shown once
 */
public record NewApiToken(ApiToken token, String secret) {

	@Override
	public String toString() {
		return "NewApiToken[" + this.token + ", secret=…]";
	}

}
