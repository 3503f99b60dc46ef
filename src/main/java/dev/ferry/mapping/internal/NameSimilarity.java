package dev.ferry.mapping.internal;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * How close two normalized block values are, for suggestions and for the search of the
 * new table: trigrams to find the few records worth comparing, then the Levenshtein
 * distance (Apache Commons Text) to rank them, as a similarity {@code 1 − distance /
 * longer length}. Jaro-Winkler was tried first: it ranks a name sharing a longer
 * beginning above the one a single typo away ("lady rier velvet" was closer to "lady
 * prince velvet" than to "lady river velvet"), and put the right record first for 262 of
 * the demo's 270 misspelled names against 270 for Levenshtein.
 */
final class NameSimilarity {

	private static final LevenshteinDistance LEVENSHTEIN = LevenshteinDistance.getDefaultInstance();

	private NameSimilarity() {
	}

	/**
	 * The distinct trigrams of a value padded with a space at each end (so a value of one
	 * letter still has one), in order of first occurrence, each as a number: its three
	 * UTF-16 characters, 16 bits each.
	 */
	static long[] grams(String value) {
		int length = value.length() + 2;
		long[] grams = new long[Math.max(0, length - 2)];
		int count = 0;
		for (int i = 0; i + 3 <= length; i++) {
			long gram = ((long) charAt(value, i) << 32) | ((long) charAt(value, i + 1) << 16) | charAt(value, i + 2);
			boolean seen = false;
			for (int k = 0; k < count && !seen; k++) {
				seen = grams[k] == gram;
			}
			if (!seen) {
				grams[count++] = gram;
			}
		}
		return (count == grams.length) ? grams : Arrays.copyOf(grams, count);
	}

	/** The character at {@code i} of the value padded with a space at each end. */
	private static char charAt(String value, int i) {
		return (i == 0 || i == value.length() + 1) ? ' ' : value.charAt(i - 1);
	}

	/**
	 * The distinct trigrams inside a value, without padding: what a {@code LIKE '%…%'}
	 * can look for. Empty for a value shorter than three characters.
	 */
	static List<String> innerGrams(String value) {
		Set<String> grams = new LinkedHashSet<>();
		for (int i = 0; i + 3 <= value.length(); i++) {
			grams.add(value.substring(i, i + 3));
		}
		return List.copyOf(grams);
	}

	/**
	 * Whether two values sharing {@code shared} trigrams are worth scoring: at least half
	 * of the shorter one's trigrams. One dropped or swapped letter costs at most four
	 * trigrams, so a name of eight characters or more one such typo away always passes.
	 */
	static boolean worthScoring(int shared, int grams, int otherGrams) {
		return shared > 0 && 2 * shared >= Math.min(grams, otherGrams);
	}

	/**
	 * {@code 1 − Levenshtein distance / the longer length}, 0..1 (1 for equal values).
	 */
	static double similarity(String a, String b) {
		int longer = Math.max(a.length(), b.length());
		return (longer == 0) ? 1 : 1 - (double) LEVENSHTEIN.apply(a, b) / longer;
	}

}
