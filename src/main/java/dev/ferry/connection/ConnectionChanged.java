package dev.ferry.connection;

/**
 * Published when a connection profile is created, changed or deleted, in the transaction
 * that changes it. Never carries a secret.
 *
 * @param name the connection
 * @param change {@code created}, {@code changed} or {@code deleted}
 * @param by who changed it
 */
public record ConnectionChanged(String name, String change, String by) {
}
