package dev.ferry.mapping;

import java.util.List;

/**
 * How many open items of a queue tab fall under each value of each facet ({@code ui.md},
 * issue 21), each facet counted with the search and the other facets applied but not
 * itself, so that selecting a value shows as many items as its count. Only values with
 * items are listed; the {@code differs} facet is empty for a dry run that did not store
 * it (and for items without candidates).
 *
 * @param bands by the best score's tenth, highest first: {@code 0.9} (0.9 to 1.0) …
 * {@code 0.0}, then {@code none} (no candidate)
 * @param candidates by candidate count: {@code 1}, {@code 2}, {@code 3}, {@code 4+}, then
 * {@code 0}
 * @param differs by tie-breaker on which the best candidate differs (its old field's
 * name), then {@code none} (all agree); an item differing on two counts under both
 * @param prefixes by the first letter of the block value, A to Z, then {@code #}
 */
public record QueueFacets(List<Count> bands, List<Count> candidates, List<Count> differs, List<Count> prefixes) {

	public QueueFacets {
		bands = List.copyOf(bands);
		candidates = List.copyOf(candidates);
		differs = List.copyOf(differs);
		prefixes = List.copyOf(prefixes);
	}

	/** No facets (a tab that has none, such as decided). */
	public static final QueueFacets NONE = new QueueFacets(List.of(), List.of(), List.of(), List.of());

	/**
	 * One value of a facet.
	 *
	 * @param value the value as a request parameter
	 * @param label the value as shown ({@code 0.9–1.0}, {@code 4+}, a field's name)
	 * @param count the open items with that value
	 */
	public record Count(String value, String label, long count) {
	}

}
