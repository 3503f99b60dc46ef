package dev.ferry.demo.internal;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What the demo workspace holds, decided in memory from one seed before anything is
 * written: the messy cultivar rows of the source, the legacy AHS listings of the target
 * (each planted for one mapping outcome of the ahs-v2 plan) and the listings that
 * reference them. Every random draw comes from one {@link SplittableRandom} in a fixed
 * order and nothing iterates a hash-ordered collection, so a seed always gives the same
 * rows.
 */
final class Planting {

	private static final int YEAR_PAIRS = 100;

	private static final int YEAR_TRIPLES = 60;

	private static final int NULL_NAMES = 6;

	private static final int UNPARSEABLE_YEARS = 6;

	private static final int UNPARSEABLE_FRAGRANCES = 6;

	private static final int FIRST_YEAR = 1950;

	private static final int LAST_YEAR = 2024;

	final List<Cultivar> cultivars;

	final List<LegacyListing> legacyListings;

	final List<Listing> listings;

	private Planting(List<Cultivar> cultivars, List<LegacyListing> legacyListings, List<Listing> listings) {
		this.cultivars = cultivars;
		this.legacyListings = legacyListings;
		this.listings = listings;
	}

	/** A source row as written to {@code cultivars}: every value as text, messy. */
	record Cultivar(int id, String name, String hybridizer, String year, String fragrance) {
	}

	/**
	 * A target row of {@code AhsListing}, the mapping outcome it was planted for and the
	 * cultivar it was planted from (for a misspelled one, the record a reviewer should
	 * find).
	 */
	record LegacyListing(int id, String name, String hybridizerCode, Integer year, Outcome outcome, int cultivarId) {
	}

	/** A target row of {@code Listing}. */
	record Listing(int id, Integer ahsId, String title) {
	}

	/** The mapping outcome a legacy listing was planted for. */
	enum Outcome {

		/** One cultivar with the normalized name, year and hybridizer agree. */
		AUTO_SINGLE,
		/** Two or three cultivars share the name; the legacy year picks one. */
		AUTO_BY_YEAR,
		/** Two cultivars share name, year and hybridizer: both score 1. */
		AMBIGUOUS_SAME_YEAR,
		/** Two cultivars share the name and the legacy year is NULL: at best 0.4. */
		AMBIGUOUS_NO_YEAR,
		/**
		 * Two cultivars share name and year; the legacy hybridizer is a third one: 0.6
		 * each.
		 */
		AMBIGUOUS_OTHER_HYBRIDIZER,
		/** One candidate, but year or hybridizer disagree: 0.6 or 0.4. */
		AMBIGUOUS_ONE_CANDIDATE,
		/** The legacy name is misspelled (a dropped or swapped letter): no candidate. */
		UNRESOLVED_MISSPELLED,
		/** The only cultivar of that name is rejected by the import: no candidate. */
		UNRESOLVED_REJECTED;

		boolean isAuto() {
			return this == AUTO_SINGLE || this == AUTO_BY_YEAR;
		}

		boolean isAmbiguous() {
			return name().startsWith("AMBIGUOUS");
		}

		boolean isUnresolved() {
			return name().startsWith("UNRESOLVED");
		}

	}

	/** How a cultivar is rejected by the plan's import rules, if it is. */
	private enum Rejection {

		NONE, NULL_NAME, UNPARSEABLE_YEAR, UNPARSEABLE_FRAGRANCE

	}

	/** One cultivar before it is written: canonical values, then messed up on writing. */
	private static final class Spec {

		final String name;

		final String hybridizer;

		final Integer year;

		final Boolean fragrant;

		final Rejection rejection;

		int id;

		boolean shared;

		Spec(String name, String hybridizer, Integer year, Boolean fragrant, Rejection rejection) {
			this.name = name;
			this.hybridizer = hybridizer;
			this.year = year;
			this.fragrant = fragrant;
			this.rejection = rejection;
		}

		boolean canMatchAutomatically() {
			return this.rejection == Rejection.NONE && this.hybridizer != null && this.year != null;
		}

	}

	/** A legacy listing before its id and spelling are drawn. */
	private record Intent(Spec cultivar, Outcome outcome, Integer year, String hybridizer) {
	}

	static Planting plant(long seed) {
		return new Planter(new SplittableRandom(seed)).plant();
	}

	/**
	 * The block key of the plan's mapping phase: trim, collapse-spaces, lower,
	 * strip-accents.
	 */
	static String blockKey(String name) {
		return stripAccents(collapseSpaces(name).toLowerCase(Locale.ROOT));
	}

	/**
	 * Trim and collapse-spaces, without a regular expression: this runs for every name.
	 */
	static String collapseSpaces(String text) {
		String trimmed = text.trim();
		if (!trimmed.contains("  ")) {
			return trimmed;
		}
		StringBuilder collapsed = new StringBuilder(trimmed.length());
		for (int i = 0; i < trimmed.length(); i++) {
			char c = trimmed.charAt(i);
			if (c != ' ' || trimmed.charAt(i - 1) != ' ') {
				collapsed.append(c);
			}
		}
		return collapsed.toString();
	}

	static String stripAccents(String text) {
		if (isAscii(text)) {
			return text;
		}
		String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
		StringBuilder stripped = new StringBuilder(decomposed.length());
		for (int i = 0; i < decomposed.length(); i++) {
			char c = decomposed.charAt(i);
			if (Character.getType(c) != Character.NON_SPACING_MARK) {
				stripped.append(c);
			}
		}
		return stripped.toString();
	}

	private static boolean isAscii(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (text.charAt(i) > 127) {
				return false;
			}
		}
		return true;
	}

	static String titleCase(String text) {
		StringBuilder title = new StringBuilder(text.length());
		boolean startOfWord = true;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			title.append(startOfWord ? Character.toUpperCase(c) : Character.toLowerCase(c));
			startOfWord = c == ' ';
		}
		return title.toString();
	}

	private static final class Planter {

		private final SplittableRandom random;

		private final Set<String> blockKeys = new HashSet<>();

		Planter(SplittableRandom random) {
			this.random = random;
		}

		Planting plant() {
			int groupNames = YEAR_PAIRS + YEAR_TRIPLES + DemoFigures.AMBIGUOUS_SAME_YEAR + DemoFigures.AMBIGUOUS_NO_YEAR
					+ DemoFigures.AMBIGUOUS_OTHER_HYBRIDIZER;
			int groupMembers = 2 * YEAR_PAIRS + 3 * YEAR_TRIPLES + 2 * (groupNames - YEAR_PAIRS - YEAR_TRIPLES);
			int singles = DemoFigures.CULTIVARS - groupMembers;
			List<String> names = uniqueNames(groupNames + singles);
			int next = 0;

			List<Spec> specs = new ArrayList<>(DemoFigures.CULTIVARS);
			List<Intent> intents = new ArrayList<>(DemoFigures.LEGACY_LISTINGS);
			for (int i = 0; i < YEAR_PAIRS + YEAR_TRIPLES; i++) {
				String name = names.get(next++);
				int size = (i < YEAR_PAIRS) ? 2 : 3;
				List<Integer> years = distinctYears(size);
				for (int member = 0; member < size; member++) {
					Spec spec = new Spec(name, hybridizer(), years.get(member), fragrant(), Rejection.NONE);
					specs.add(spec);
					intents.add(new Intent(spec, Outcome.AUTO_BY_YEAR, spec.year, spec.hybridizer));
				}
			}
			for (int i = 0; i < DemoFigures.AMBIGUOUS_SAME_YEAR; i++) {
				String name = names.get(next++);
				int year = year();
				String hybridizer = hybridizer();
				Spec first = new Spec(name, hybridizer, year, fragrant(), Rejection.NONE);
				specs.add(first);
				specs.add(new Spec(name, hybridizer, year, fragrant(), Rejection.NONE));
				intents.add(new Intent(first, Outcome.AMBIGUOUS_SAME_YEAR, year, hybridizer));
			}
			for (int i = 0; i < DemoFigures.AMBIGUOUS_NO_YEAR; i++) {
				String name = names.get(next++);
				List<Integer> years = distinctYears(2);
				Spec first = new Spec(name, hybridizer(), years.get(0), fragrant(), Rejection.NONE);
				specs.add(first);
				specs.add(new Spec(name, hybridizer(), years.get(1), fragrant(), Rejection.NONE));
				intents.add(new Intent(first, Outcome.AMBIGUOUS_NO_YEAR, null, first.hybridizer));
			}
			for (int i = 0; i < DemoFigures.AMBIGUOUS_OTHER_HYBRIDIZER; i++) {
				String name = names.get(next++);
				int year = year();
				List<String> hybridizers = distinctHybridizers(3);
				Spec first = new Spec(name, hybridizers.get(0), year, fragrant(), Rejection.NONE);
				specs.add(first);
				specs.add(new Spec(name, hybridizers.get(1), year, fragrant(), Rejection.NONE));
				intents.add(new Intent(first, Outcome.AMBIGUOUS_OTHER_HYBRIDIZER, year, hybridizers.get(2)));
			}

			for (Spec spec : specs) {
				spec.shared = true;
			}

			List<Spec> rejected = new ArrayList<>();
			for (Rejection rejection : List.of(Rejection.NULL_NAME, Rejection.UNPARSEABLE_YEAR,
					Rejection.UNPARSEABLE_FRAGRANCE)) {
				int count = switch (rejection) {
					case NULL_NAME -> NULL_NAMES;
					case UNPARSEABLE_YEAR -> UNPARSEABLE_YEARS;
					default -> UNPARSEABLE_FRAGRANCES;
				};
				for (int i = 0; i < count; i++) {
					Spec spec = new Spec(names.get(next++), hybridizer(), year(), fragrant(), rejection);
					specs.add(spec);
					rejected.add(spec);
				}
			}
			while (next < names.size()) {
				String hybridizer = (this.random.nextInt(100) < 8) ? null : hybridizer();
				Integer year = (this.random.nextInt(100) < 3) ? null : year();
				Boolean fragrant = (this.random.nextInt(100) < 10) ? null : fragrant();
				specs.add(new Spec(names.get(next++), hybridizer, year, fragrant, Rejection.NONE));
			}

			shuffle(specs);
			for (int i = 0; i < specs.size(); i++) {
				specs.get(i).id = i + 1;
			}

			// Single cultivars with a year and a hybridizer, in a shuffled order.
			List<Spec> clean = new ArrayList<>();
			for (Spec spec : specs) {
				if (spec.canMatchAutomatically() && !spec.shared) {
					clean.add(spec);
				}
			}
			shuffle(clean);
			int taken = 0;
			int autoSingles = DemoFigures.AUTO - 2 * YEAR_PAIRS - 3 * YEAR_TRIPLES;
			for (int i = 0; i < autoSingles; i++) {
				Spec spec = clean.get(taken++);
				intents.add(new Intent(spec, Outcome.AUTO_SINGLE, spec.year, spec.hybridizer));
			}
			for (int i = 0; i < DemoFigures.AMBIGUOUS_ONE_CANDIDATE; i++) {
				Spec spec = clean.get(taken++);
				if (i % 2 == 0) {
					intents.add(new Intent(spec, Outcome.AMBIGUOUS_ONE_CANDIDATE, spec.year,
							otherHybridizer(spec.hybridizer)));
				}
				else {
					int year = (spec.year < LAST_YEAR) ? spec.year + 1 : spec.year - 1;
					intents.add(new Intent(spec, Outcome.AMBIGUOUS_ONE_CANDIDATE, year, spec.hybridizer));
				}
			}
			for (int i = 0; i < DemoFigures.UNRESOLVED_MISSPELLED; i++) {
				Spec spec = clean.get(taken++);
				intents.add(new Intent(spec, Outcome.UNRESOLVED_MISSPELLED, spec.year, spec.hybridizer));
			}
			for (int i = 0; i < DemoFigures.UNRESOLVED_REJECTED; i++) {
				// 4 NULL names, 3 bad years, 3 bad fragrances.
				int index = (i < 4) ? i : (i < 7) ? NULL_NAMES + i - 4 : NULL_NAMES + UNPARSEABLE_YEARS + i - 7;
				Spec spec = rejected.get(index);
				intents.add(new Intent(spec, Outcome.UNRESOLVED_REJECTED, spec.year, spec.hybridizer));
			}
			if (intents.size() != DemoFigures.LEGACY_LISTINGS) {
				throw new IllegalStateException("Planted " + intents.size() + " legacy listings");
			}

			List<Cultivar> cultivars = new ArrayList<>(specs.size());
			for (Spec spec : specs) {
				cultivars.add(write(spec));
			}

			shuffle(intents);
			List<LegacyListing> legacy = new ArrayList<>(intents.size());
			for (int i = 0; i < intents.size(); i++) {
				Intent intent = intents.get(i);
				String name = (intent.outcome() == Outcome.UNRESOLVED_MISSPELLED) ? misspell(intent.cultivar().name)
						: intent.cultivar().name;
				legacy.add(new LegacyListing(i + 1, legacySpelling(name), legacyCode(intent.hybridizer()),
						intent.year(), intent.outcome(), intent.cultivar().id));
			}
			return new Planting(cultivars, legacy, listings(legacy));
		}

		private List<Listing> listings(List<LegacyListing> legacy) {
			int count = DemoFigures.LISTINGS;
			boolean[] withoutAhs = new boolean[count];
			int[] positions = new int[count];
			for (int i = 0; i < count; i++) {
				positions[i] = i;
			}
			for (int i = 0; i < DemoFigures.LISTINGS_WITHOUT_AHS; i++) {
				int j = i + this.random.nextInt(count - i);
				int swap = positions[i];
				positions[i] = positions[j];
				positions[j] = swap;
				withoutAhs[positions[i]] = true;
			}
			List<Listing> listings = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				String suffix = pick(Vocabulary.LISTING_SUFFIXES);
				if (withoutAhs[i]) {
					String seedling = "Seedling " + (10 + this.random.nextInt(15)) + "-"
							+ (1 + this.random.nextInt(400));
					listings.add(new Listing(i + 1, null, seedling + suffix));
				}
				else {
					LegacyListing ahs = legacy.get(this.random.nextInt(legacy.size()));
					String title = titleCase(stripAccents(collapseSpaces(ahs.name())));
					listings.add(new Listing(i + 1, ahs.id(), title + suffix));
				}
			}
			return listings;
		}

		private Cultivar write(Spec spec) {
			String name = (spec.rejection == Rejection.NULL_NAME) ? null : sourceSpelling(spec.name);
			String hybridizer;
			if (spec.hybridizer == null) {
				int variant = this.random.nextInt(Vocabulary.NO_HYBRIDIZER.size() + 1);
				hybridizer = (variant == 0) ? null : Vocabulary.NO_HYBRIDIZER.get(variant - 1);
			}
			else {
				hybridizer = sourceCode(spec.hybridizer);
			}
			String year;
			if (spec.rejection == Rejection.UNPARSEABLE_YEAR) {
				year = pick(Vocabulary.UNPARSEABLE_YEARS);
			}
			else if (spec.year == null) {
				year = this.random.nextBoolean() ? "" : null;
			}
			else {
				year = Integer.toString(spec.year);
			}
			String fragrance;
			if (spec.rejection == Rejection.UNPARSEABLE_FRAGRANCE) {
				fragrance = pick(Vocabulary.UNPARSEABLE_FRAGRANCES);
			}
			else if (spec.fragrant == null) {
				// The plan has no null-if for fragrance, so "" would be rejected: absent
				// is NULL.
				fragrance = null;
			}
			else {
				fragrance = pick(spec.fragrant ? Vocabulary.YES : Vocabulary.NO);
			}
			return new Cultivar(spec.id, name, hybridizer, year, fragrance);
		}

		private List<String> uniqueNames(int count) {
			List<String> names = new ArrayList<>(count);
			while (names.size() < count) {
				String name = name();
				if (this.blockKeys.add(blockKey(name))) {
					names.add(name);
				}
			}
			return names;
		}

		private String name() {
			int pattern = this.random.nextInt(10);
			String adjective = pick(Vocabulary.ADJECTIVES);
			String noun = pick(Vocabulary.NOUNS);
			if (pattern < 3) {
				return adjective + " " + noun;
			}
			if (pattern < 8) {
				return adjective + " " + noun + " " + pick(Vocabulary.TAILS);
			}
			if (pattern < 9) {
				return pick(Vocabulary.SERIES) + " " + adjective + " " + noun;
			}
			return pick(Vocabulary.SERIES) + " " + noun + " " + pick(Vocabulary.TAILS);
		}

		/**
		 * The source's spelling: mostly canonical, else lower/upper/mixed case and stray
		 * spaces.
		 */
		private String sourceSpelling(String name) {
			int casing = this.random.nextInt(100);
			String spelled;
			if (casing < 60) {
				spelled = name;
			}
			else if (casing < 75) {
				spelled = name.toLowerCase(Locale.ROOT);
			}
			else if (casing < 82) {
				spelled = name.toUpperCase(Locale.ROOT);
			}
			else {
				spelled = mixedCase(name);
			}
			int spacing = this.random.nextInt(100);
			if (spacing < 8) {
				spelled = " " + spelled;
			}
			else if (spacing < 16) {
				spelled = spelled + "  ";
			}
			else if (spacing < 26) {
				spelled = doubleASpace(spelled);
			}
			return spelled;
		}

		/**
		 * The legacy's spelling: mostly not the source's (case, spacing or accents
		 * differ).
		 */
		private String legacySpelling(String name) {
			int variant = this.random.nextInt(100);
			if (variant < 25) {
				return name;
			}
			if (variant < 50) {
				return name.toUpperCase(Locale.ROOT);
			}
			if (variant < 65) {
				return name.toLowerCase(Locale.ROOT);
			}
			if (variant < 85) {
				String plain = stripAccents(name);
				return plain.equals(name) ? doubleASpace(name) : plain;
			}
			return doubleASpace(name) + " ";
		}

		private String mixedCase(String name) {
			StringBuilder mixed = new StringBuilder();
			for (String word : name.split(" ")) {
				if (mixed.length() > 0) {
					mixed.append(' ');
				}
				mixed.append(this.random.nextBoolean() ? word.toLowerCase(Locale.ROOT) : word);
			}
			return mixed.toString();
		}

		private String doubleASpace(String name) {
			int space = name.indexOf(' ', 1 + this.random.nextInt(Math.max(1, name.length() - 1)));
			if (space < 0) {
				space = name.indexOf(' ');
			}
			return (space < 0) ? name : name.substring(0, space) + " " + name.substring(space);
		}

		private String misspell(String name) {
			while (true) {
				String[] words = name.split(" ");
				int w = this.random.nextInt(words.length);
				String word = words[w];
				if (word.length() < 4) {
					continue;
				}
				int at = 1 + this.random.nextInt(word.length() - 2);
				String wrong = this.random.nextBoolean() ? word.substring(0, at) + word.substring(at + 1)
						: word.substring(0, at) + word.charAt(at + 1) + word.charAt(at) + word.substring(at + 2);
				words[w] = wrong;
				String misspelled = String.join(" ", words);
				if (!this.blockKeys.contains(blockKey(misspelled))) {
					return misspelled;
				}
			}
		}

		private String sourceCode(String code) {
			int variant = this.random.nextInt(10);
			return switch (variant) {
				case 0, 1, 2, 3 -> code;
				case 4, 5, 6 -> titleCase(code.toLowerCase(Locale.ROOT));
				case 7 -> " " + code.toLowerCase(Locale.ROOT) + " ";
				case 8 -> code.toLowerCase(Locale.ROOT);
				default -> titleCase(code.toLowerCase(Locale.ROOT)) + " ";
			};
		}

		private String legacyCode(String code) {
			if (code == null) {
				return null;
			}
			int variant = this.random.nextInt(10);
			return switch (variant) {
				case 0, 1, 2, 3, 4 -> code;
				case 5, 6 -> titleCase(code.toLowerCase(Locale.ROOT));
				case 7 -> code.toLowerCase(Locale.ROOT);
				default -> code + " ";
			};
		}

		private String hybridizer() {
			return pick(Vocabulary.HYBRIDIZERS);
		}

		private String otherHybridizer(String code) {
			String other = hybridizer();
			while (other.equals(code)) {
				other = hybridizer();
			}
			return other;
		}

		private List<String> distinctHybridizers(int count) {
			List<String> codes = new ArrayList<>(count);
			while (codes.size() < count) {
				String code = hybridizer();
				if (!codes.contains(code)) {
					codes.add(code);
				}
			}
			return codes;
		}

		private int year() {
			return FIRST_YEAR + this.random.nextInt(LAST_YEAR - FIRST_YEAR + 1);
		}

		private List<Integer> distinctYears(int count) {
			List<Integer> years = new ArrayList<>(count);
			while (years.size() < count) {
				int year = year();
				if (!years.contains(year)) {
					years.add(year);
				}
			}
			return years;
		}

		private Boolean fragrant() {
			return this.random.nextInt(3) == 0;
		}

		private <T> T pick(List<T> list) {
			return list.get(this.random.nextInt(list.size()));
		}

		private <T> void shuffle(List<T> list) {
			for (int i = list.size() - 1; i > 0; i--) {
				int j = this.random.nextInt(i + 1);
				T swap = list.get(i);
				list.set(i, list.get(j));
				list.set(j, swap);
			}
		}

	}

}
