package dev.ferry.security;

/**
 * Published when an account is created or changed (roles, enabled, a password), in the
 * transaction that changes it. Never carries a password.
 *
 * @param username the account
 * @param change what changed, in words
 * @param by who changed it
 */
public record AccountChanged(String username, String change, String by) {
}
