package dev.ferry.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.plan.spec.MappingPhase.Accept;
import dev.ferry.plan.spec.MappingPhase.Compare;
import dev.ferry.plan.spec.MappingPhase.TieBreaker;
import dev.ferry.plan.spec.Normalization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The classification rules of plan-format.md, pinned with cases computed by hand. The
 * demo plan's rules: year (weight 0.6) and hybridizer (0.4, trim and upper), accept at
 * score ≥ 0.8 and margin ≥ 0.2.
 */
class MatchRulesTests {

	static final List<Normalization> BLOCK = List.of(Normalization.TRIM, Normalization.COLLAPSE_SPACES,
			Normalization.LOWER, Normalization.STRIP_ACCENTS);

	static final TieBreaker YEAR = new TieBreaker("year", "year", 0.6, List.of(), Compare.EXACT);

	static final TieBreaker HYBRIDIZER = new TieBreaker("hybridizer_code", "hybridizer", 0.4,
			List.of(Normalization.TRIM, Normalization.UPPER), Compare.EXACT);

	static final MatchRules DEMO = new MatchRules(BLOCK, List.of(YEAR, HYBRIDIZER), new Accept(0.8, 0.2), false);

	static MatchRecord record(String key, String... values) {
		return new MatchRecord(key, Arrays.asList(values));
	}

	static final MatchRecord OLD = record("1", "Royal Halo", "1990", "stout ");

	@Test
	void oneCandidateAgreeingOnBothTieBreakersIsAuto() {
		MatchedItem item = DEMO.matchBlock(List.of(OLD), List.of(record("a", "ROYAL HALO", "1990", "Stout"))).get(0);

		assertThat(item.status()).isEqualTo(MatchStatus.AUTO);
		assertThat(item.bestScore()).isEqualTo(1.0);
		assertThat(item.bestNewKey()).isEqualTo("a");
		assertThat(item.candidates().get(0).breakdown()).containsExactly(1.0, 1.0);
		assertThat(item.candidates().get(0).record()).containsExactly("ROYAL HALO", "1990", "Stout");
	}

	@Test
	void aBestScoreExactlyAtMinScoreIsAuto() {
		// year agrees, hybridizer does not: 0.6; with weights 0.8 / 0.2 the same
		// candidate scores exactly 0.8
		MatchRules rules = new MatchRules(BLOCK, List.of(new TieBreaker("year", "year", 0.8, List.of(), Compare.EXACT),
				new TieBreaker("h", "h", 0.2, List.of(), Compare.EXACT)), new Accept(0.8, 0.2), false);
		MatchedItem item = rules.classify(OLD, List.of(rules.score(OLD, record("a", "x", "1990", "other"))));

		assertThat(item.bestScore()).isCloseTo(0.8, within(1e-12));
		assertThat(item.status()).isEqualTo(MatchStatus.AUTO);
	}

	@Test
	void oneCandidateBelowMinScoreIsAmbiguous() {
		// year agrees (0.6), hybridizer differs: 0.6 < 0.8, though there is no second
		MatchedItem item = DEMO.classify(OLD, List.of(DEMO.score(OLD, record("a", "x", "1990", "KIRK"))));

		assertThat(item.bestScore()).isCloseTo(0.6, within(1e-12));
		assertThat(item.status()).isEqualTo(MatchStatus.AMBIGUOUS);
	}

	@Test
	void aMarginExactlyAtMinMarginIsAuto() {
		// 1.0 against 0.8: in binary floating point 1.0 - 0.8 = 0.19999999999999996
		MatchRules rules = new MatchRules(BLOCK, List.of(new TieBreaker("year", "year", 0.2, List.of(), Compare.EXACT),
				new TieBreaker("h", "h", 0.8, List.of(), Compare.EXACT)), new Accept(0.8, 0.2), false);
		MatchRecord old = record("1", "x", "1990", "STOUT");
		MatchedItem item = rules.classify(old, List.of(rules.score(old, record("a", "x", "1990", "STOUT")),
				rules.score(old, record("b", "x", "1991", "STOUT"))));

		assertThat(item.candidates()).extracting(Candidate::score).containsExactly(1.0, 0.8);
		assertThat(item.status()).isEqualTo(MatchStatus.AUTO);
		assertThat(item.bestNewKey()).isEqualTo("a");
	}

	@Test
	void aMarginJustBelowMinMarginIsAmbiguous() {
		MatchRules rules = new MatchRules(BLOCK, List.of(new TieBreaker("year", "year", 0.19, List.of(), Compare.EXACT),
				new TieBreaker("h", "h", 0.81, List.of(), Compare.EXACT)), new Accept(0.8, 0.2), false);
		MatchRecord old = record("1", "x", "1990", "STOUT");
		MatchedItem item = rules.classify(old, List.of(rules.score(old, record("a", "x", "1990", "STOUT")),
				rules.score(old, record("b", "x", "1991", "STOUT"))));

		assertThat(item.candidates()).extracting(Candidate::score).containsExactly(1.0, 0.81);
		assertThat(item.status()).isEqualTo(MatchStatus.AMBIGUOUS);
	}

	@Test
	void twoCandidatesWithTheSameScoreAreAmbiguousAndListedByKey() {
		MatchedItem item = DEMO
			.matchBlock(List.of(OLD),
					List.of(record("b", "Royal Halo", "1990", "STOUT"), record("a", "Royal Halo", "1990", "STOUT")))
			.get(0);

		assertThat(item.status()).isEqualTo(MatchStatus.AMBIGUOUS);
		assertThat(item.candidates()).extracting(Candidate::newKey).containsExactly("a", "b");
		assertThat(item.bestScore()).isEqualTo(1.0);
	}

	@Test
	void aNullTieBreakerOnEitherSideCountsZero() {
		MatchRecord noYear = record("1", "Royal Halo", null, "STOUT");
		Candidate oldNull = DEMO.score(noYear, record("a", "Royal Halo", "1990", "STOUT"));
		Candidate newNull = DEMO.score(OLD, record("a", "Royal Halo", "1990", null));

		assertThat(oldNull.breakdown()).containsExactly(0.0, 1.0);
		assertThat(oldNull.score()).isCloseTo(0.4, within(1e-12));
		assertThat(newNull.breakdown()).containsExactly(1.0, 0.0);
		assertThat(newNull.score()).isCloseTo(0.6, within(1e-12));
		assertThat(DEMO.classify(noYear, List.of(oldNull)).status()).isEqualTo(MatchStatus.AMBIGUOUS);
	}

	@Test
	void noCandidateIsUnresolved() {
		MatchedItem item = DEMO.matchBlock(List.of(OLD), List.of()).get(0);

		assertThat(item.status()).isEqualTo(MatchStatus.UNRESOLVED);
		assertThat(item.bestScore()).isNull();
		assertThat(item.bestNewKey()).isNull();
		assertThat(item.candidateCount()).isZero();
	}

	@Test
	void withUniqueNewTwoOldRecordsAutoToOneNewRecordAreBothConflicts() {
		MatchRules unique = new MatchRules(BLOCK, List.of(YEAR, HYBRIDIZER), new Accept(0.8, 0.2), true);
		List<MatchRecord> olds = List.of(record("1", "Royal Halo", "1990", "STOUT"),
				record("2", "royal halo", "1990", "stout"), record("3", "Royal Halo", null, null));
		List<MatchRecord> news = List.of(record("a", "Royal Halo", "1990", "STOUT"));

		assertThat(unique.matchBlock(olds, news)).extracting(MatchedItem::status)
			.containsExactly(MatchStatus.CONFLICT, MatchStatus.CONFLICT, MatchStatus.AMBIGUOUS);
		assertThat(DEMO.matchBlock(olds, news)).as("without unique-new both are auto")
			.extracting(MatchedItem::status)
			.containsExactly(MatchStatus.AUTO, MatchStatus.AUTO, MatchStatus.AMBIGUOUS);
	}

	@Test
	void withUniqueNewOneAutoPerNewRecordStaysAuto() {
		MatchRules unique = new MatchRules(BLOCK, List.of(YEAR, HYBRIDIZER), new Accept(0.8, 0.2), true);
		List<MatchRecord> olds = List.of(record("1", "Halo", "1990", "STOUT"), record("2", "Halo", "1991", "STOUT"));
		List<MatchRecord> news = List.of(record("a", "Halo", "1990", "STOUT"), record("b", "Halo", "1991", "STOUT"));

		// 1.0 against 0.4 for each: both auto, to different records
		assertThat(unique.matchBlock(olds, news)).extracting(MatchedItem::status, MatchedItem::bestNewKey)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(MatchStatus.AUTO, "a"),
					org.assertj.core.groups.Tuple.tuple(MatchStatus.AUTO, "b"));
	}

	@Test
	void withoutTieBreakersACandidateScoresOne() {
		MatchRules rules = new MatchRules(BLOCK, List.of(), Accept.DEFAULT, false);
		MatchRecord old = record("1", "Halo");

		assertThat(rules.matchBlock(List.of(old), List.of(record("a", "HALO"))).get(0).status())
			.isEqualTo(MatchStatus.AUTO);
		assertThat(rules.matchBlock(List.of(old), List.of(record("a", "HALO"), record("b", "halo"))).get(0).status())
			.as("two candidates of score 1: margin 0")
			.isEqualTo(MatchStatus.AMBIGUOUS);
	}

	@Test
	void similarityIsJaroWinklerOfTheNormalizedValues() {
		MatchRules rules = new MatchRules(BLOCK,
				List.of(new TieBreaker("h", "h", 1.0, List.of(Normalization.UPPER), Compare.SIMILARITY)),
				Accept.DEFAULT, false);
		Candidate candidate = rules.score(record("1", "x", "martha"), record("a", "x", "MARHTA"));

		// the textbook pair: Jaro 0.9444, common prefix 3, Jaro-Winkler 0.9611
		assertThat(candidate.score()).isCloseTo(0.9611, within(0.0001));
		assertThat(rules.score(record("1", "x", "Stout"), record("a", "x", "STOUT")).score()).isEqualTo(1.0);
	}

	@Test
	void theBlockKeyIsNormalizedAndEmptyHasNone() {
		assertThat(DEMO.blockKey("  Crème   Brûlée ")).isEqualTo("creme brulee");
		assertThat(DEMO.blockKey(null)).isNull();
		assertThat(DEMO.blockKey(" \u00a0 ")).isNull();
	}

	@Test
	void anItemKeepsItsBestTenCandidatesAndCountsAll() {
		List<MatchRecord> news = new ArrayList<>();
		for (int i = 0; i < 14; i++) {
			news.add(record("n" + (char) ('a' + i), "Halo", i == 12 ? "1990" : "2000", "STOUT"));
		}
		MatchedItem item = DEMO.matchBlock(List.of(OLD), news).get(0);

		assertThat(item.candidateCount()).isEqualTo(14);
		assertThat(item.candidates()).hasSize(MatchRules.CANDIDATES_KEPT);
		assertThat(item.candidates().get(0).newKey()).isEqualTo("nm");
		assertThat(item.status()).as("1.0 against 0.4: auto").isEqualTo(MatchStatus.AUTO);
	}

	@Test
	void thePhasesRulesAreTheOnesUsed() {
		MappingPhase phase = new MappingPhase("map", new MappingPhase.Side("Old", "id", null),
				new MappingPhase.Side("New", "id", null), new MappingPhase.Block("name", "name", BLOCK),
				List.of(YEAR, HYBRIDIZER), new Accept(0.8, 0.2), true, null, 5000, List.of());
		MatchRules rules = new MatchRules(phase);

		assertThat(rules.matchBlock(List.of(OLD, OLD), List.of(record("a", "Royal Halo", "1990", "STOUT"))))
			.extracting(MatchedItem::status)
			.containsOnly(MatchStatus.CONFLICT);
	}

}
