package dev.ferry.changeset;

import java.util.List;

/** A keyset page of change rows; {@code next} is the cursor of the next page, or null. */
public record ChangePage(List<Change> items, String next) {
}
