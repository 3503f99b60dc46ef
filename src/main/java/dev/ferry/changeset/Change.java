package dev.ferry.changeset;

import java.util.List;
import java.util.Map;

/**
 * One change row as pages and the API show it: values by column name, typed for JSON
 * (numbers, booleans, text), and the columns an update changes.
 */
public record Change(long seq, String table, ChangeOp op, Map<String, Object> key, Map<String, Object> before,
		Map<String, Object> after, List<String> changed, List<Rejection> reasons) {
}
