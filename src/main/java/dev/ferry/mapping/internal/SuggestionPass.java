package dev.ferry.mapping.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.importing.RecordSort;
import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.MatchRecord;
import dev.ferry.mapping.MatchRules;
import dev.ferry.mapping.Suggestion;

/**
 * One pass of suggestions: up to {@code ferry.mapping.suggest-pass-records} unresolved
 * old records, indexed by the trigrams of their normalized block values, and for each the
 * {@value Suggestion#KEPT} closest new records seen so far. Every new record is offered
 * once ({@link #offer}); the trigrams it shares with each old record decide which old
 * records it is scored against (Levenshtein on the normalized values), so a new record
 * costs a look-up per trigram and a few comparisons, not one per old record. Memory: the
 * old records, one posting (an int) per distinct trigram of each, and five suggestions
 * each; the new side is never held.
 */
final class SuggestionPass {

	private static final int[] NONE = new int[0];

	private final MatchRules rules;

	private final List<MatchRecord> olds = new ArrayList<>();

	private final List<String> blockKeys = new ArrayList<>();

	private final List<Integer> gramCounts = new ArrayList<>();

	private final Map<String, int[]> postings = new HashMap<>();

	private final Map<String, Integer> postingSizes = new HashMap<>();

	private List<List<Suggestion>> closest;

	private int[] shared;

	private int[] touched;

	SuggestionPass(MatchRules rules) {
		this.rules = rules;
	}

	/** Adds an old record with its normalized block value (not null). */
	void add(MatchRecord old, String blockKey) {
		int index = this.olds.size();
		this.olds.add(old);
		this.blockKeys.add(blockKey);
		String[] grams = NameSimilarity.grams(blockKey);
		this.gramCounts.add(grams.length);
		for (String gram : grams) {
			int size = this.postingSizes.merge(gram, 1, Integer::sum);
			int[] posting = this.postings.getOrDefault(gram, NONE);
			if (size > posting.length) {
				posting = Arrays.copyOf(posting, Math.max(4, posting.length * 2));
				this.postings.put(gram, posting);
			}
			posting[size - 1] = index;
		}
	}

	int size() {
		return this.olds.size();
	}

	/** Scores a new record against the old records that share enough trigrams with it. */
	void offer(MatchRecord neu, String blockKey) {
		if (blockKey == null) {
			return;
		}
		if (this.closest == null) {
			this.closest = new ArrayList<>(this.olds.size());
			for (int i = 0; i < this.olds.size(); i++) {
				this.closest.add(new ArrayList<>(Suggestion.KEPT + 1));
			}
			this.shared = new int[this.olds.size()];
			this.touched = new int[this.olds.size()];
		}
		String[] grams = NameSimilarity.grams(blockKey);
		int touchedCount = 0;
		for (String gram : grams) {
			int[] posting = this.postings.get(gram);
			if (posting == null) {
				continue;
			}
			int size = this.postingSizes.get(gram);
			for (int p = 0; p < size; p++) {
				int old = posting[p];
				if (this.shared[old]++ == 0) {
					this.touched[touchedCount++] = old;
				}
			}
		}
		for (int t = 0; t < touchedCount; t++) {
			int old = this.touched[t];
			int count = this.shared[old];
			this.shared[old] = 0;
			if (!NameSimilarity.worthScoring(count, grams.length, this.gramCounts.get(old))) {
				continue;
			}
			double similarity = NameSimilarity.similarity(this.blockKeys.get(old), blockKey);
			List<Suggestion> kept = this.closest.get(old);
			if (kept.size() == Suggestion.KEPT && similarity < kept.get(kept.size() - 1).similarity()) {
				continue;
			}
			Candidate scored = this.rules.score(this.olds.get(old), neu);
			insert(kept, Suggestion.of(similarity, scored));
		}
	}

	/** Closest first: similarity, then the tie-breakers' score, then the new key. */
	private static void insert(List<Suggestion> kept, Suggestion suggestion) {
		int at = kept.size();
		while (at > 0 && before(suggestion, kept.get(at - 1))) {
			at--;
		}
		if (at < Suggestion.KEPT) {
			kept.add(at, suggestion);
			if (kept.size() > Suggestion.KEPT) {
				kept.remove(kept.size() - 1);
			}
		}
	}

	private static boolean before(Suggestion a, Suggestion b) {
		if (Math.abs(a.similarity() - b.similarity()) > MatchRules.EPSILON) {
			return a.similarity() > b.similarity();
		}
		if (Math.abs(a.score() - b.score()) > MatchRules.EPSILON) {
			return a.score() > b.score();
		}
		return RecordSort.KEY_ORDER.compare(a.newKey(), b.newKey()) < 0;
	}

	MatchRecord old(int index) {
		return this.olds.get(index);
	}

	/** The suggestions of an old record, closest first (empty if nothing was close). */
	List<Suggestion> suggestions(int index) {
		return (this.closest == null) ? List.of() : this.closest.get(index);
	}

}
