package dev.ferry.run.internal;

import java.util.List;

/** The rows an import dry run merges: normalized source rows and target rows. */
final class ImportItems {

	private ImportItems() {
	}

	/**
	 * A source row after its rules.
	 *
	 * @param ordinal its position in the source query's result, for a stable order of
	 * rows with the same key
	 * @param values the canonical values, in the rules' target column order
	 * @param key the key values, or null when a key column has no usable value
	 * @param rejections why the row is rejected; empty when it is not
	 */
	record SourceItem(long ordinal, Object[] values, Object[] key, List<ImportRules.Rejection> rejections) {

		boolean rejected() {
			return !this.rejections.isEmpty();
		}

	}

	/** A target row: canonical values in the rules' column order, and its key values. */
	record TargetItem(Object[] values, Object[] key) {
	}

	/** A stream of items, {@code null} at its end. */
	interface ItemStream<T> extends AutoCloseable {

		T next();

		@Override
		void close();

	}

	/**
	 * Thrown when rows that should come in key order do not, so the merge cannot trust
	 * the database's order.
	 */
	static final class OutOfOrder extends RuntimeException {

		OutOfOrder(String message) {
			super(message);
		}

	}

}
