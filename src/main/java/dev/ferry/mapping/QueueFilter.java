package dev.ferry.mapping;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.ferry.problem.InvalidException;

/**
 * What narrows and orders a queue's list ({@code ui.md}, issue 21): the search, the
 * facets and the sort. The facets filter on what the dry run stored for each item: the
 * best score's tenth, the number of candidates, a tie-breaker on which the best candidate
 * differs, the first letter of the block value. A bulk accept works within the same
 * filter.
 *
 * @param q the search of the old records (key and values), or null
 * @param band the best score's tenth: 0 to 9 (9 is 0.9 to 1.0), -1 for no candidate, or
 * null
 * @param candidates the candidate count: 0 to 3, 4 for four or more, or null
 * @param differs the name of a tie-breaker (an old field) on which the best candidate
 * differs, {@link #ALL_AGREE} for none, or null
 * @param prefix the first letter of the block value (A to Z, {@code #} for anything
 * else), or null
 * @param sort the order of the list
 */
public record QueueFilter(String q, Integer band, Integer candidates, String differs, String prefix, Sort sort) {

	/** The {@code differs} value of items whose best candidate agrees on every field. */
	public static final String ALL_AGREE = "none";

	/** No search, no facet, the dry run's order. */
	public static final QueueFilter NONE = new QueueFilter(null, null, null, null, null, Sort.RUN);

	private static final Pattern BAND = Pattern.compile("0\\.[0-9]");

	private static final Pattern PREFIX = Pattern.compile("[A-Za-z#]");

	public QueueFilter {
		q = (q == null || q.isBlank()) ? null : q;
		sort = (sort == null) ? Sort.RUN : sort;
	}

	/**
	 * A filter from request parameters (blank is absent); 400 with words for a value that
	 * is none of the facet's.
	 */
	public static QueueFilter parse(String q, String band, String candidates, String differs, String prefix,
			String sort) {
		return new QueueFilter(q, band(band), candidates(candidates), blankToNull(differs), prefix(prefix),
				Sort.parse(sort));
	}

	private static Integer band(String band) {
		String value = blankToNull(band);
		if (value == null) {
			return null;
		}
		if ("none".equals(value)) {
			return -1;
		}
		if (!BAND.matcher(value).matches()) {
			throw new InvalidException("band", "mapping.facet.band.invalid",
					"band is the best score's tenth (0.0, 0.1, … 0.9) or none, not " + value + ".", value);
		}
		return value.charAt(2) - '0';
	}

	private static Integer candidates(String candidates) {
		String value = blankToNull(candidates);
		if (value == null) {
			return null;
		}
		return switch (value) {
			case "0", "1", "2", "3" -> Integer.valueOf(value);
			case "4+" -> 4;
			default -> throw new InvalidException("candidates", "mapping.facet.candidates.invalid",
					"candidates is 0, 1, 2, 3 or 4+, not " + value + ".", value);
		};
	}

	private static String prefix(String prefix) {
		String value = blankToNull(prefix);
		if (value == null) {
			return null;
		}
		if (!PREFIX.matcher(value).matches()) {
			throw new InvalidException("prefix", "mapping.facet.prefix.invalid",
					"prefix is one letter (A to Z) or # (the block value starts with anything else), not " + value
							+ ".",
					value);
		}
		return value.toUpperCase(Locale.ROOT);
	}

	private static String blankToNull(String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

	/** Whether a facet narrows the list. */
	public boolean faceted() {
		return this.band != null || this.candidates != null || this.differs != null || this.prefix != null;
	}

	/**
	 * The search and facets set, for a decision's reason: {@code band 0.9, differs year}.
	 */
	public String describe() {
		java.util.StringJoiner text = new java.util.StringJoiner(", ");
		if (this.q != null) {
			text.add("search \"" + (this.q.length() > 100 ? this.q.substring(0, 100) + "…" : this.q) + "\"");
		}
		if (this.band != null) {
			text.add("band " + bandParam());
		}
		if (this.candidates != null) {
			text.add("candidates " + candidatesParam());
		}
		if (this.differs != null) {
			text.add(ALL_AGREE.equals(this.differs) ? "all agree" : this.differs + " differs");
		}
		if (this.prefix != null) {
			text.add("block starts with " + this.prefix);
		}
		return text.toString();
	}

	/** The band as a request parameter: {@code 0.9}, or {@code none}. */
	public String bandParam() {
		return (this.band == null) ? null : bandParam(this.band);
	}

	public static String bandParam(int band) {
		return (band < 0) ? "none" : "0." + band;
	}

	/** The candidate count as a request parameter: {@code 2}, or {@code 4+}. */
	public String candidatesParam() {
		return (this.candidates == null) ? null : candidatesParam(this.candidates);
	}

	public static String candidatesParam(int candidates) {
		return (candidates >= 4) ? "4+" : String.valueOf(candidates);
	}

	/** The list's order. */
	public enum Sort {

		/** The dry run's order (by block value): the default. */
		RUN("run"),

		/**
		 * Lowest best score first (no candidate lowest of all), then the dry run's order.
		 */
		SCORE_ASC("score-asc"),

		/** Highest best score first (no candidate last), then the dry run's order. */
		SCORE_DESC("score-desc");

		private final String code;

		Sort(String code) {
			this.code = code;
		}

		public String code() {
			return this.code;
		}

		static Sort parse(String sort) {
			if (sort == null || sort.isBlank()) {
				return RUN;
			}
			for (Sort candidate : values()) {
				if (candidate.code.equals(sort.strip())) {
					return candidate;
				}
			}
			throw new InvalidException("sort", "mapping.sort.invalid",
					"sort is run (the dry run's order), score-asc or score-desc, not " + sort + ".", sort);
		}

	}

}
