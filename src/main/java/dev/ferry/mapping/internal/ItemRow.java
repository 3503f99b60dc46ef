package dev.ferry.mapping.internal;

import java.util.Locale;
import java.util.StringJoiner;

import dev.ferry.mapping.MatchedItem;

/**
 * A scored item as {@code mapping_items} stores it: its columns computed (the JSON, the
 * search text, the facets), so that a dry run can prepare the next rows on one thread
 * while another inserts these.
 */
record ItemRow(String oldKey, String status, Double bestScore, String bestNewKey, Double secondScore,
		int candidateCount, String oldValues, String candidates, String searchText, String suggestions,
		String bestDiffers, String blockPrefix) {

	static ItemRow of(MatchedItem item) {
		return new ItemRow(item.old().key(), item.status().code(), item.bestScore(), item.bestNewKey(),
				item.candidates().size() < 2 ? null : item.candidates().get(1).score(), item.candidateCount(),
				ItemJson.texts(item.old().values()),
				item.candidates().isEmpty() ? null : ItemJson.candidates(item.candidates()), searchText(item),
				item.suggestions().isEmpty() ? null : ItemJson.suggestions(item.suggestions()),
				MappingResults.bestDiffers(item), MappingResults.blockPrefix(item));
	}

	/** The old record's key and values, lower case, for the search box. */
	private static String searchText(MatchedItem item) {
		StringJoiner text = new StringJoiner(" ");
		text.add(item.old().key());
		for (String value : item.old().values()) {
			if (value != null) {
				text.add(value);
			}
		}
		String joined = text.toString().toLowerCase(Locale.ROOT);
		return joined.length() > 4000 ? joined.substring(0, 4000) : joined;
	}

}
