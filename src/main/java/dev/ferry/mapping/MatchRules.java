package dev.ferry.mapping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.plan.spec.Normalization;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * The matching rules of a {@code mapping} phase, as {@code plan-format.md} defines them.
 * <ul>
 * <li>A new record is a <b>candidate</b> of an old one when their block values, each
 * normalized by the block's {@code normalize}, are equal (a NULL or empty block value has
 * no candidates).</li>
 * <li>A candidate's <b>score</b> is {@code Σ weight × agree / Σ weight} over the
 * tie-breakers: {@code agree} is 1 when both values, normalized by the tie-breaker's own
 * {@code normalize}, are equal, 0 when they differ or either is NULL, and Jaro-Winkler
 * similarity (0..1) for {@code compare: similarity}. Without tie-breakers every candidate
 * scores 1.</li>
 * <li><b>auto</b>: best score ≥ {@code min-score} and best − second best ≥
 * {@code min-margin} (no second best counts as 0); <b>ambiguous</b>: candidates, but not
 * that; <b>unresolved</b>: no candidate; <b>conflict</b> (with {@code unique-new}): two
 * or more old records would be {@code auto} to the same new record, all of them.</li>
 * </ul>
 * Scores are compared with a tolerance of {@value #EPSILON}, so a margin that is exactly
 * the threshold in decimal (1.0 − 0.8 against 0.2) counts as reaching it despite binary
 * floating point.
 */
public final class MatchRules {

	/** How many candidates an item keeps, best first; the rest are counted. */
	public static final int CANDIDATES_KEPT = 10;

	public static final double EPSILON = 1e-9;

	private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

	private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble(Candidate::score)
		.reversed()
		.thenComparing(Candidate::newKey);

	private final List<Normalization> blockNormalize;

	private final List<MappingPhase.TieBreaker> tieBreakers;

	private final double totalWeight;

	private final MappingPhase.Accept accept;

	private final boolean uniqueNew;

	public MatchRules(MappingPhase phase) {
		this(phase.block().normalize(), phase.tieBreakers(), phase.accept(), phase.uniqueNew());
	}

	public MatchRules(List<Normalization> blockNormalize, List<MappingPhase.TieBreaker> tieBreakers,
			MappingPhase.Accept accept, boolean uniqueNew) {
		this.blockNormalize = List.copyOf(blockNormalize);
		this.tieBreakers = List.copyOf(tieBreakers);
		this.totalWeight = tieBreakers.stream().mapToDouble(MappingPhase.TieBreaker::weight).sum();
		this.accept = accept;
		this.uniqueNew = uniqueNew;
	}

	/**
	 * The normalized block value that candidates must share, or null when the record can
	 * have none (NULL, or empty after normalization).
	 */
	public String blockKey(String value) {
		if (value == null) {
			return null;
		}
		String key = Normalization.apply(this.blockNormalize, value);
		return (key == null || key.isEmpty()) ? null : key;
	}

	/** Scores a new record of the same block against an old one. */
	public Candidate score(MatchRecord old, MatchRecord candidate) {
		List<Double> breakdown = new ArrayList<>(this.tieBreakers.size());
		double weighted = 0;
		for (int i = 0; i < this.tieBreakers.size(); i++) {
			MappingPhase.TieBreaker tie = this.tieBreakers.get(i);
			double agree = agree(tie, old.values().get(i + 1), candidate.values().get(i + 1));
			breakdown.add(agree);
			weighted += tie.weight() * agree;
		}
		double score = this.tieBreakers.isEmpty() ? 1.0 : (this.totalWeight == 0 ? 0 : weighted / this.totalWeight);
		return new Candidate(candidate.key(), score, breakdown, candidate.values());
	}

	private static double agree(MappingPhase.TieBreaker tie, String oldValue, String newValue) {
		if (oldValue == null || newValue == null) {
			return 0;
		}
		String a = Normalization.apply(tie.normalize(), oldValue);
		String b = Normalization.apply(tie.normalize(), newValue);
		if (a == null || b == null) {
			return 0;
		}
		if (tie.compare() == MappingPhase.Compare.SIMILARITY) {
			return JARO_WINKLER.apply(a, b);
		}
		return a.equals(b) ? 1 : 0;
	}

	/**
	 * What an old record's candidates make of it: its status (never {@code conflict},
	 * which needs the whole block: see {@link #matchBlock}), best score and the kept
	 * candidates, best first (ties by new key).
	 */
	public MatchedItem classify(MatchRecord old, List<Candidate> candidates) {
		if (candidates.isEmpty()) {
			return new MatchedItem(old, MatchStatus.UNRESOLVED, null, null, 0, List.of());
		}
		List<Candidate> sorted = new ArrayList<>(candidates);
		sorted.sort(BEST_FIRST);
		Candidate best = sorted.get(0);
		double second = (sorted.size() > 1) ? sorted.get(1).score() : 0;
		boolean auto = best.score() >= this.accept.minScore() - EPSILON
				&& best.score() - second >= this.accept.minMargin() - EPSILON;
		return new MatchedItem(old, auto ? MatchStatus.AUTO : MatchStatus.AMBIGUOUS, best.score(), best.newKey(),
				sorted.size(), sorted.subList(0, Math.min(CANDIDATES_KEPT, sorted.size())));
	}

	/**
	 * Matches the old records of one block value with the new records of the same value:
	 * each old record is scored against every new one and classified; with
	 * {@code unique-new}, old records that would be {@code auto} to the same new record
	 * are all {@code conflict}. (A new record belongs to one block only, so two old
	 * records can only share a candidate inside a block.)
	 * @return the items, in the order of {@code olds}
	 */
	public List<MatchedItem> matchBlock(List<MatchRecord> olds, List<MatchRecord> news) {
		List<MatchedItem> items = new ArrayList<>(olds.size());
		for (MatchRecord old : olds) {
			List<Candidate> candidates = new ArrayList<>(news.size());
			for (MatchRecord candidate : news) {
				candidates.add(score(old, candidate));
			}
			items.add(classify(old, candidates));
		}
		if (this.uniqueNew && olds.size() > 1) {
			Map<String, Integer> autos = new HashMap<>();
			for (MatchedItem item : items) {
				if (item.status() == MatchStatus.AUTO) {
					autos.merge(item.bestNewKey(), 1, Integer::sum);
				}
			}
			for (int i = 0; i < items.size(); i++) {
				MatchedItem item = items.get(i);
				if (item.status() == MatchStatus.AUTO && autos.get(item.bestNewKey()) > 1) {
					items.set(i, item.withStatus(MatchStatus.CONFLICT));
				}
			}
		}
		return items;
	}

	/** An old record whose block value has no candidate at all. */
	public MatchedItem unmatched(MatchRecord old) {
		return classify(old, List.of());
	}

}
