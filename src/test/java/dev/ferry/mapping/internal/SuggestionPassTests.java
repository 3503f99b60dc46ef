package dev.ferry.mapping.internal;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.mapping.MatchRecord;
import dev.ferry.mapping.MatchRules;
import dev.ferry.mapping.Suggestion;
import dev.ferry.plan.spec.MappingPhase.Accept;
import dev.ferry.plan.spec.MappingPhase.Compare;
import dev.ferry.plan.spec.MappingPhase.TieBreaker;
import dev.ferry.plan.spec.Normalization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suggestion pass on its own: trigrams as numbers, the look-up table that grows past
 * its first size, and the closest new records kept per old record.
 */
class SuggestionPassTests {

	static final MatchRules RULES = new MatchRules(List.of(Normalization.TRIM, Normalization.LOWER),
			List.of(new TieBreaker("year", "year", 1.0, List.of(), Compare.EXACT)), new Accept(0.8, 0.2), false);

	@Test
	void gramsAreTheDistinctTrigramsOfTheValuePaddedWithSpaces() {
		assertThat(NameSimilarity.grams("")).isEmpty();
		assertThat(NameSimilarity.grams("a")).containsExactly(gram(" a "));
		// " aaaa " has " aa", "aaa" (three times), "aa ": three distinct, in order
		assertThat(NameSimilarity.grams("aaaa")).containsExactly(gram(" aa"), gram("aaa"), gram("aa "));
		assertThat(NameSimilarity.grams("rose")).containsExactly(gram(" ro"), gram("ros"), gram("ose"), gram("se "));
		// characters beyond Latin-1 keep their 16 bits
		assertThat(NameSimilarity.grams("éż")).containsExactly(gram(" éż"), gram("éż "));
	}

	@Test
	void eachOldRecordKeepsTheClosestNewRecordsAmongThousandsOfTrigrams() {
		SuggestionPass pass = new SuggestionPass(RULES);
		// 2,000 old names of random-looking words: far more distinct trigrams than the
		// table's first 512 entries
		List<String> names = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			String name = word(i) + " " + word(i * 7 + 3);
			names.add(name);
			pass.add(new MatchRecord("o" + i, List.of(name, "1990")), name);
		}
		// each new record is an old name with one letter changed, and a few far away
		for (int i = 0; i < 2000; i++) {
			String name = names.get(i);
			String typo = name.substring(0, name.length() - 1) + "q";
			pass.offer(new MatchRecord("n" + i, List.of(typo, (i % 2 == 0) ? "1990" : "2001")), typo);
			pass.offer(new MatchRecord("far" + i, List.of("zzzz" + i, "1990")), "zzzz" + i);
		}
		for (int i = 0; i < 2000; i++) {
			List<Suggestion> suggestions = pass.suggestions(i);
			assertThat(suggestions).as("old record %d", i).isNotEmpty().hasSizeLessThanOrEqualTo(Suggestion.KEPT);
			assertThat(suggestions.get(0).newKey()).as("old record %d", i).isEqualTo("n" + i);
			assertThat(suggestions).extracting(Suggestion::newKey).noneMatch(key -> key.startsWith("far"));
			for (int k = 1; k < suggestions.size(); k++) {
				assertThat(suggestions.get(k).similarity())
					.isLessThanOrEqualTo(suggestions.get(k - 1).similarity() + MatchRules.EPSILON);
			}
		}
	}

	private static long gram(String three) {
		return ((long) three.charAt(0) << 32) | ((long) three.charAt(1) << 16) | three.charAt(2);
	}

	/** A word of five letters from a number (a multiplicative hash of it, base 26). */
	private static String word(int n) {
		char[] letters = new char[5];
		long value = (n * 2_654_435_761L) % 11_881_376;
		for (int i = 0; i < 5; i++) {
			letters[i] = (char) ('a' + value % 26);
			value /= 26;
		}
		return new String(letters);
	}

}
