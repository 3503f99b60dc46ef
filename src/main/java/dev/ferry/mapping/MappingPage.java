package dev.ferry.mapping;

import java.util.List;

/**
 * A keyset page of items.
 *
 * @param items the items
 * @param next the cursor of the next page, or null on the last
 */
public record MappingPage(List<MappingItem> items, String next) {

	public MappingPage {
		items = List.copyOf(items);
	}

}
