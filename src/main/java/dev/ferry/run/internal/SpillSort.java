package dev.ferry.run.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Stream;

import dev.ferry.run.internal.ImportItems.ItemStream;
import dev.ferry.run.internal.ImportItems.SourceItem;

/**
 * Sorts normalized source rows by key when the database cannot return them in that order
 * (the key is normalized, or converted from text): sorted chunks are spilled to files and
 * merged, so memory holds one chunk, not the source. Rows with the same key keep the
 * source's order.
 */
final class SpillSort implements AutoCloseable {

	static final Comparator<SourceItem> ORDER = (a, b) -> {
		int byKey = ImportRules.compareKeys(a.key(), b.key());
		return byKey != 0 ? byKey : Long.compare(a.ordinal(), b.ordinal());
	};

	private final Path directory;

	private final int chunkRows;

	private final int[] keyIndexes;

	private final List<SourceItem> chunk = new ArrayList<>();

	private final List<Path> runs = new ArrayList<>();

	private final List<Reader> open = new ArrayList<>();

	SpillSort(Path directory, int chunkRows, int[] keyIndexes) {
		this.directory = directory;
		this.chunkRows = chunkRows;
		this.keyIndexes = keyIndexes;
	}

	/** Adds a row that has a key. */
	void add(SourceItem item) {
		this.chunk.add(item);
		if (this.chunk.size() >= this.chunkRows) {
			spill();
		}
	}

	/** The rows added, in key order. */
	ItemStream<SourceItem> sorted() {
		if (this.runs.isEmpty()) {
			// everything fitted in one chunk: no file needed
			this.chunk.sort(ORDER);
			List<SourceItem> items = new ArrayList<>(this.chunk);
			this.chunk.clear();
			return new ItemStream<>() {

				private int next;

				@Override
				public SourceItem next() {
					return this.next < items.size() ? items.get(this.next++) : null;
				}

				@Override
				public void close() {
				}

			};
		}
		if (!this.chunk.isEmpty()) {
			spill();
		}
		PriorityQueue<Reader> heads = new PriorityQueue<>((a, b) -> ORDER.compare(a.head, b.head));
		for (Path run : this.runs) {
			Reader reader = new Reader(run, this.keyIndexes);
			this.open.add(reader);
			if (reader.advance()) {
				heads.add(reader);
			}
		}
		return new ItemStream<>() {

			@Override
			public SourceItem next() {
				Reader reader = heads.poll();
				if (reader == null) {
					return null;
				}
				SourceItem item = reader.head;
				if (reader.advance()) {
					heads.add(reader);
				}
				return item;
			}

			@Override
			public void close() {
				SpillSort.this.close();
			}

		};
	}

	private void spill() {
		this.chunk.sort(ORDER);
		try {
			Files.createDirectories(this.directory);
			Path file = this.directory.resolve("chunk-" + this.runs.size() + ".bin");
			try (DataOutputStream out = new DataOutputStream(
					new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
				for (SourceItem item : this.chunk) {
					write(out, item);
				}
			}
			this.runs.add(file);
			this.chunk.clear();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Sorting the source rows in " + this.directory + " failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		for (Reader reader : this.open) {
			reader.close();
		}
		this.open.clear();
		this.chunk.clear();
		try {
			if (Files.exists(this.directory)) {
				try (Stream<Path> files = Files.walk(this.directory)) {
					for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
						Files.deleteIfExists(path);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot remove the sort files in " + this.directory, ex);
		}
	}

	private static void write(DataOutputStream out, SourceItem item) throws IOException {
		out.writeLong(item.ordinal());
		out.writeInt(item.values().length);
		for (Object value : item.values()) {
			writeValue(out, value);
		}
		out.writeInt(item.rejections().size());
		for (ImportRules.Rejection rejection : item.rejections()) {
			writeText(out, rejection.column());
			writeText(out, rejection.value());
			writeText(out, rejection.rule());
			writeText(out, rejection.message());
		}
	}

	private static void writeValue(DataOutputStream out, Object value) throws IOException {
		if (value == null) {
			out.writeByte(0);
		}
		else if (value instanceof String text) {
			out.writeByte(1);
			writeText(out, text);
		}
		else if (value instanceof Long number) {
			out.writeByte(2);
			out.writeLong(number);
		}
		else if (value instanceof BigDecimal decimal) {
			out.writeByte(3);
			writeText(out, decimal.toString());
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
			writeText(out, time.toString());
		}
		else {
			throw new IllegalStateException("Ferry cannot sort a value of type " + value.getClass().getName());
		}
	}

	private static void writeText(DataOutputStream out, String text) throws IOException {
		if (text == null) {
			out.writeInt(-1);
			return;
		}
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	private static String readText(DataInputStream in) throws IOException {
		int length = in.readInt();
		if (length < 0) {
			return null;
		}
		return new String(in.readNBytes(length), StandardCharsets.UTF_8);
	}

	private static Object readValue(DataInputStream in) throws IOException {
		int tag = in.readByte();
		return switch (tag) {
			case 0 -> null;
			case 1 -> readText(in);
			case 2 -> in.readLong();
			case 3 -> new BigDecimal(readText(in));
			case 4 -> in.readBoolean();
			case 5 -> LocalDate.ofEpochDay(in.readLong());
			case 6 -> LocalDateTime.parse(readText(in));
			default -> throw new IllegalStateException("Corrupt sort file: value tag " + tag);
		};
	}

	/** One spilled chunk, read back item by item. */
	private static final class Reader implements AutoCloseable {

		private final DataInputStream in;

		private final int[] keyIndexes;

		private SourceItem head;

		Reader(Path file, int[] keyIndexes) {
			this.keyIndexes = keyIndexes;
			try {
				this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		boolean advance() {
			try {
				long ordinal;
				try {
					ordinal = this.in.readLong();
				}
				catch (EOFException end) {
					this.head = null;
					return false;
				}
				Object[] values = new Object[this.in.readInt()];
				for (int i = 0; i < values.length; i++) {
					values[i] = readValue(this.in);
				}
				int count = this.in.readInt();
				List<ImportRules.Rejection> rejections = count == 0 ? List.of() : new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					rejections.add(new ImportRules.Rejection(readText(this.in), readText(this.in), readText(this.in),
							readText(this.in)));
				}
				Object[] key = new Object[this.keyIndexes.length];
				for (int k = 0; k < key.length; k++) {
					key[k] = values[this.keyIndexes[k]];
				}
				this.head = new SourceItem(ordinal, values, key, rejections);
				return true;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public void close() {
			try {
				this.in.close();
			}
			catch (IOException ex) {
				// the file is deleted next
			}
		}

	}

}
