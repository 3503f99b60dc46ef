package dev.ferry.mapping.internal;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.importing.RecordSort;
import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.MatchRecord;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.MatchedItem;
import dev.ferry.mapping.Suggestion;

/**
 * A scored item as the text fields of a {@link RecordSort} record, and back: the old key
 * first (what the item sort orders by), then the status, best score, best new key,
 * candidate count, the old values (counted), and each kept candidate's key, score,
 * breakdown and record (each list counted). Scores are written as
 * {@link Double#toString}, which reads back to the same double.
 */
final class ItemFields {

	private ItemFields() {
	}

	static String[] of(MatchedItem item) {
		List<String> fields = new ArrayList<>();
		fields.add(item.old().key());
		fields.add(item.status().name());
		fields.add(item.bestScore() == null ? null : Double.toString(item.bestScore()));
		fields.add(item.bestNewKey());
		fields.add(Integer.toString(item.candidateCount()));
		addList(fields, item.old().values());
		fields.add(Integer.toString(item.candidates().size()));
		for (Candidate candidate : item.candidates()) {
			fields.add(candidate.newKey());
			fields.add(Double.toString(candidate.score()));
			fields.add(Integer.toString(candidate.breakdown().size()));
			for (double agreement : candidate.breakdown()) {
				fields.add(Double.toString(agreement));
			}
			addList(fields, candidate.record());
		}
		return fields.toArray(String[]::new);
	}

	static MatchedItem item(String[] fields) {
		int[] at = { 5 };
		List<String> old = list(fields, at);
		int candidates = Integer.parseInt(fields[at[0]++]);
		List<Candidate> kept = new ArrayList<>(candidates);
		for (int c = 0; c < candidates; c++) {
			String newKey = fields[at[0]++];
			double score = Double.parseDouble(fields[at[0]++]);
			int agreements = Integer.parseInt(fields[at[0]++]);
			List<Double> breakdown = new ArrayList<>(agreements);
			for (int i = 0; i < agreements; i++) {
				breakdown.add(Double.parseDouble(fields[at[0]++]));
			}
			kept.add(new Candidate(newKey, score, breakdown, list(fields, at)));
		}
		return new MatchedItem(new MatchRecord(fields[0], old), MatchStatus.valueOf(fields[1]),
				fields[2] == null ? null : Double.valueOf(fields[2]), fields[3], Integer.parseInt(fields[4]), kept);
	}

	/**
	 * An old record's suggestions as the text fields of a record of the suggestion sort:
	 * the old key first, then the count and each suggestion's key, similarity, score,
	 * breakdown and record.
	 */
	static String[] ofSuggestions(String oldKey, List<Suggestion> suggestions) {
		List<String> fields = new ArrayList<>();
		fields.add(oldKey);
		fields.add(Integer.toString(suggestions.size()));
		for (Suggestion suggestion : suggestions) {
			fields.add(suggestion.newKey());
			fields.add(Double.toString(suggestion.similarity()));
			fields.add(Double.toString(suggestion.score()));
			fields.add(Integer.toString(suggestion.breakdown().size()));
			for (double agreement : suggestion.breakdown()) {
				fields.add(Double.toString(agreement));
			}
			addList(fields, suggestion.record());
		}
		return fields.toArray(String[]::new);
	}

	static List<Suggestion> suggestions(String[] fields) {
		int[] at = { 1 };
		int count = Integer.parseInt(fields[at[0]++]);
		List<Suggestion> suggestions = new ArrayList<>(count);
		for (int s = 0; s < count; s++) {
			String newKey = fields[at[0]++];
			double similarity = Double.parseDouble(fields[at[0]++]);
			double score = Double.parseDouble(fields[at[0]++]);
			int agreements = Integer.parseInt(fields[at[0]++]);
			List<Double> breakdown = new ArrayList<>(agreements);
			for (int i = 0; i < agreements; i++) {
				breakdown.add(Double.parseDouble(fields[at[0]++]));
			}
			suggestions.add(new Suggestion(newKey, similarity, score, breakdown, list(fields, at)));
		}
		return suggestions;
	}

	private static void addList(List<String> fields, List<String> values) {
		fields.add(Integer.toString(values.size()));
		fields.addAll(values);
	}

	private static List<String> list(String[] fields, int[] at) {
		int size = Integer.parseInt(fields[at[0]++]);
		List<String> values = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			values.add(fields[at[0]++]);
		}
		return values;
	}

}
