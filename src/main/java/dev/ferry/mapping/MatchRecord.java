package dev.ferry.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A record of either side as the engine compares it.
 *
 * @param key its key, as text
 * @param values the block column's value, then each tie-breaker column's, as read (null
 * for SQL NULL)
 */
public record MatchRecord(String key, List<String> values) {

	public MatchRecord {
		values = Collections.unmodifiableList(new ArrayList<>(values));
	}

	/** The block column's value as read. */
	public String blockValue() {
		return this.values.get(0);
	}

}
