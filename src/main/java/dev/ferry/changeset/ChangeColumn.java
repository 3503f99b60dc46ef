package dev.ferry.changeset;

/**
 * A column of a change set: the target column's name and the type its values have (the
 * import rule's {@code type}: string, integer, decimal, boolean, date, timestamp).
 */
public record ChangeColumn(String name, String type) {
}
