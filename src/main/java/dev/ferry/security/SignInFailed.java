package dev.ferry.security;

import java.time.Instant;

/**
 * Published when a sign-in is refused for a wrong user name or password (never with the
 * password tried), in the transaction that counts it.
 *
 * @param username the user name tried
 * @param address the client's address
 * @param via {@code form} (the console) or {@code basic} (the API)
 * @param failures failed sign-ins of this user name in a row
 * @param lockedUntil until when the user name or the address is refused, or null
 */
public record SignInFailed(String username, String address, String via, int failures, Instant lockedUntil) {
}
