package dev.ferry.changeset;

/**
 * Why a row was rejected: the column, the value that failed, the rule it failed, and a
 * sentence saying so.
 */
public record Rejection(String column, String value, String rule, String message) {
}
