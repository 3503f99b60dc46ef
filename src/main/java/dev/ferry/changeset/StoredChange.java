package dev.ferry.changeset;

import java.util.List;

/**
 * A change row as stored, for replaying a change set: its values are the canonical text
 * the dry run wrote (null for SQL NULL), positional: {@code key} by the change set's key,
 * {@code before} and {@code after} by its columns; null where the operation has none.
 */
public record StoredChange(long seq, ChangeOp op, List<String> key, List<String> before, List<String> after) {
}
