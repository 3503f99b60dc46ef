package dev.ferry.changeset;

import java.util.List;

/**
 * A page of the diff browser with its place among the filtered rows.
 *
 * @param items the rows, in the dry run's order
 * @param previous the cursor of the page before ({@code before=}), or null on the first
 * @param next the cursor of the page after ({@code after=}), or null on the last
 * @param from the position of the first row (1-based; 0 when the page is empty)
 * @param total the filtered rows, or null while the dry run still writes the change set
 */
public record ChangeWindow(List<Change> items, String previous, String next, long from, Long total) {

	/** The position of the last row on the page. */
	public long to() {
		return this.items.isEmpty() ? 0 : this.from + this.items.size() - 1;
	}

}
