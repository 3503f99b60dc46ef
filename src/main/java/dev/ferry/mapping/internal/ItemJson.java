package dev.ferry.mapping.internal;

import java.util.List;

import dev.ferry.changeset.JsonTexts;
import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.Suggestion;

/**
 * The JSON of a mapping item's columns ({@code old_values}, {@code candidates_json},
 * {@code suggestions_json}), written and the old values read without a general JSON
 * library (texts as the change rows' values are, {@link JsonTexts}): a dry run writes
 * three of them per item, a million items at a time, and {@code mapping.csv} reads the
 * old values of every item. The profile of a mapping dry run of 1M × 1M records had the
 * library's per-value set-up (a generator, a writer, a serializer look-up) as 43 % of
 * storing the items and parsing the old values as 31 % of writing {@code mapping.csv}.
 * The text is plain JSON that any reader (the rest of Ferry reads it with Jackson) takes
 * back the same: {@code ItemJsonTests} checks both ways.
 */
final class ItemJson {

	private ItemJson() {
	}

	/** A JSON array of texts and nulls ({@link JsonTexts}). */
	static String texts(List<String> values) {
		return JsonTexts.array(values);
	}

	/**
	 * {@code [{"newKey": ..., "score": ..., "breakdown": [...], "record": [...]}, ...]}.
	 */
	static String candidates(List<Candidate> candidates) {
		StringBuilder out = new StringBuilder(64 * candidates.size()).append('[');
		for (int i = 0; i < candidates.size(); i++) {
			Candidate candidate = candidates.get(i);
			entry(out.append(i > 0 ? "," : ""), candidate.newKey(), null, candidate.score(), candidate.breakdown(),
					candidate.record());
		}
		return out.append(']').toString();
	}

	/**
	 * {@code [{"newKey": ..., "similarity": ..., "score": ..., "breakdown": [...],
	 * "record": [...]}, ...]}.
	 */
	static String suggestions(List<Suggestion> suggestions) {
		StringBuilder out = new StringBuilder(80 * suggestions.size()).append('[');
		for (int i = 0; i < suggestions.size(); i++) {
			Suggestion suggestion = suggestions.get(i);
			entry(out.append(i > 0 ? "," : ""), suggestion.newKey(), suggestion.similarity(), suggestion.score(),
					suggestion.breakdown(), suggestion.record());
		}
		return out.append(']').toString();
	}

	/** A candidate's object; a suggestion's has its similarity too. */
	private static void entry(StringBuilder out, String newKey, Double similarity, double score, List<Double> breakdown,
			List<String> record) {
		out.append("{\"newKey\":");
		text(out, newKey);
		if (similarity != null) {
			out.append(",\"similarity\":");
			number(out, similarity);
		}
		out.append(",\"score\":");
		number(out, score);
		out.append(",\"breakdown\":");
		numbers(out, breakdown);
		out.append(",\"record\":");
		texts(out, record);
		out.append('}');
	}

	/**
	 * The texts of a JSON array of texts and nulls, as {@link #texts(List)} and Jackson
	 * write it ({@link JsonTexts#parseArray}).
	 * @throws IllegalArgumentException if it is anything else
	 */
	static List<String> parseTexts(String json) {
		return JsonTexts.parseArray(json);
	}

	private static void texts(StringBuilder out, List<String> values) {
		JsonTexts.array(out, values);
	}

	private static void numbers(StringBuilder out, List<Double> values) {
		out.append('[');
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				out.append(',');
			}
			Double value = values.get(i);
			if (value == null) {
				out.append("null");
			}
			else {
				number(out, value);
			}
		}
		out.append(']');
	}

	private static void number(StringBuilder out, double value) {
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			// not JSON; a score never is either
			throw new IllegalArgumentException("A score must be a finite number, not " + value + ".");
		}
		out.append(value);
	}

	private static void text(StringBuilder out, String value) {
		JsonTexts.string(out, value);
	}

}
