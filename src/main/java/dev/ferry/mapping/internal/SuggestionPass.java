package dev.ferry.mapping.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

	/** Each trigram's slot in {@link #postings}. */
	private final GramSlots slots = new GramSlots();

	/**
	 * Per trigram slot, the old records that have it (the first {@link #postingSizes}).
	 */
	private int[][] postings = new int[256][];

	private int[] postingSizes = new int[256];

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
		long[] grams = NameSimilarity.grams(blockKey);
		this.gramCounts.add(grams.length);
		for (long gram : grams) {
			int slot = this.slots.slot(gram);
			if (slot == this.postings.length) {
				this.postings = Arrays.copyOf(this.postings, slot * 2);
				this.postingSizes = Arrays.copyOf(this.postingSizes, slot * 2);
			}
			int[] posting = (this.postings[slot] == null) ? NONE : this.postings[slot];
			int size = ++this.postingSizes[slot];
			if (size > posting.length) {
				posting = Arrays.copyOf(posting, Math.max(4, posting.length * 2));
				this.postings[slot] = posting;
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
		long[] grams = NameSimilarity.grams(blockKey);
		int touchedCount = 0;
		for (long gram : grams) {
			int slot = this.slots.find(gram);
			if (slot < 0) {
				continue;
			}
			int[] posting = this.postings[slot];
			int size = this.postingSizes[slot];
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

	/**
	 * Trigrams to slots 0, 1, 2, … in order of first {@link #slot}: an open-addressing
	 * table of primitive longs, so that a new record's look-ups box nothing.
	 */
	private static final class GramSlots {

		private long[] keys = new long[512];

		/** Slot + 1 of each key; 0 for an empty entry. */
		private int[] values = new int[512];

		private int size;

		/** The trigram's slot, a new one if it has none. */
		int slot(long gram) {
			int at = index(gram);
			if (this.values[at] == 0) {
				if (2 * (this.size + 1) > this.keys.length) {
					grow();
					at = index(gram);
				}
				this.keys[at] = gram;
				this.values[at] = ++this.size;
			}
			return this.values[at] - 1;
		}

		/** The trigram's slot, or -1 if no old record has it. */
		int find(long gram) {
			return this.values[index(gram)] - 1;
		}

		/** Where the trigram is, or the empty entry where it would go. */
		private int index(long gram) {
			int mask = this.keys.length - 1;
			int at = Long.hashCode(gram * 0x9E3779B97F4A7C15L) & mask;
			while (this.values[at] != 0 && this.keys[at] != gram) {
				at = (at + 1) & mask;
			}
			return at;
		}

		private void grow() {
			long[] oldKeys = this.keys;
			int[] oldValues = this.values;
			this.keys = new long[oldKeys.length * 2];
			this.values = new int[oldValues.length * 2];
			for (int i = 0; i < oldKeys.length; i++) {
				if (oldValues[i] != 0) {
					int at = index(oldKeys[i]);
					this.keys[at] = oldKeys[i];
					this.values[at] = oldValues[i];
				}
			}
		}

	}

	MatchRecord old(int index) {
		return this.olds.get(index);
	}

	/** The suggestions of an old record, closest first (empty if nothing was close). */
	List<Suggestion> suggestions(int index) {
		return (this.closest == null) ? List.of() : this.closest.get(index);
	}

}
