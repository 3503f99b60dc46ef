package dev.ferry.connection;

/**
 * Seals secrets at rest with Ferry's key ({@code FERRY_SECRET_KEY}), as connection
 * passwords are: AES-256-GCM, each secret bound to its owner's name, so a sealed value
 * copied to another owner does not open. For other modules' secrets (a webhook's signing
 * secret); the owner names are theirs ({@code webhook:12}).
 */
public interface Secrets {

	String seal(String owner, String secret);

	/**
	 * The secret, opened with the current key or, while rotating, the previous one.
	 * @throws dev.ferry.problem.RefusedException when neither opens it
	 */
	String open(String owner, String sealed);

	/**
	 * Whether the sealed value opens with the current key: one sealed with the previous
	 * key should be sealed again while rotating.
	 */
	boolean current(String owner, String sealed);

}
