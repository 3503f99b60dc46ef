package dev.ferry.importing.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.ferry.importing.RecordSort;

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

	/** Source rows by key; rows with the same key keep the source's order. */
	static final Comparator<SourceItem> SOURCE_ORDER = (a, b) -> {
		int byKey = ImportRules.compareKeys(a.key(), b.key());
		return byKey != 0 ? byKey : Long.compare(a.ordinal(), b.ordinal());
	};

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

	/**
	 * Source rows in a {@link RecordSort}'s files: the ordinal, the canonical values by
	 * type, the rejections; the key is taken from the values again when read.
	 */
	static final class SourceCodec implements RecordSort.Codec<SourceItem> {

		private final int[] keyIndexes;

		SourceCodec(int[] keyIndexes) {
			this.keyIndexes = keyIndexes;
		}

		@Override
		public void write(DataOutputStream out, SourceItem item) throws IOException {
			out.writeLong(item.ordinal());
			out.writeInt(item.values().length);
			for (Object value : item.values()) {
				writeValue(out, value);
			}
			out.writeInt(item.rejections().size());
			for (ImportRules.Rejection rejection : item.rejections()) {
				RecordSort.writeText(out, rejection.column());
				RecordSort.writeText(out, rejection.value());
				RecordSort.writeText(out, rejection.rule());
				RecordSort.writeText(out, rejection.message());
			}
		}

		@Override
		public SourceItem read(DataInputStream in) throws IOException {
			long ordinal = in.readLong();
			Object[] values = new Object[in.readInt()];
			for (int i = 0; i < values.length; i++) {
				values[i] = readValue(in);
			}
			int count = in.readInt();
			List<ImportRules.Rejection> rejections = count == 0 ? List.of() : new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				rejections.add(new ImportRules.Rejection(RecordSort.readText(in), RecordSort.readText(in),
						RecordSort.readText(in), RecordSort.readText(in)));
			}
			Object[] key = new Object[this.keyIndexes.length];
			for (int k = 0; k < key.length; k++) {
				key[k] = values[this.keyIndexes[k]];
			}
			return new SourceItem(ordinal, values, key, rejections);
		}

		private static void writeValue(DataOutputStream out, Object value) throws IOException {
			if (value == null) {
				out.writeByte(0);
			}
			else if (value instanceof String text) {
				out.writeByte(1);
				RecordSort.writeText(out, text);
			}
			else if (value instanceof Long number) {
				out.writeByte(2);
				out.writeLong(number);
			}
			else if (value instanceof BigDecimal decimal) {
				out.writeByte(3);
				RecordSort.writeText(out, decimal.toString());
			}
			else if (value instanceof Boolean bool) {
				out.writeByte(4);
				out.writeBoolean(bool);
			}
			else if (value instanceof LocalDate date) {
				out.writeByte(5);
				out.writeLong(date.toEpochDay());
			}
			else if (value instanceof LocalDateTime time) {
				out.writeByte(6);
				RecordSort.writeText(out, time.toString());
			}
			else {
				throw new IllegalStateException("Ferry cannot sort a value of type " + value.getClass().getName());
			}
		}

		private static Object readValue(DataInputStream in) throws IOException {
			int tag = in.readByte();
			return switch (tag) {
				case 0 -> null;
				case 1 -> RecordSort.readText(in);
				case 2 -> in.readLong();
				case 3 -> new BigDecimal(RecordSort.readText(in));
				case 4 -> in.readBoolean();
				case 5 -> LocalDate.ofEpochDay(in.readLong());
				case 6 -> LocalDateTime.parse(RecordSort.readText(in));
				default -> throw new IllegalStateException("Corrupt sort file: value tag " + tag);
			};
		}

	}

}
