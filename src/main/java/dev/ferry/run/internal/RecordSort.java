package dev.ferry.run.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Sorts records of text fields, by default by their first field, then their second (a
 * mapping's normalized block value, then the key), spilling sorted chunks to files and
 * merging them, so memory holds one chunk, not the table. A null first field sorts first.
 */
final class RecordSort implements AutoCloseable {

	static final Comparator<String[]> ORDER = Comparator
		.<String[], String>comparing(record -> record[0], Comparator.nullsFirst(Comparator.naturalOrder()))
		.thenComparing(record -> record[1], Comparator.nullsFirst(Comparator.naturalOrder()));

	/**
	 * Keys as people count them: keys of digits only first, by their number (shorter
	 * first, then by digits), then all other keys as text.
	 */
	static final Comparator<String> KEY_ORDER = (a, b) -> {
		boolean numberA = digits(a);
		boolean numberB = digits(b);
		if (numberA != numberB) {
			return numberA ? -1 : 1;
		}
		if (numberA && a.length() != b.length()) {
			return Integer.compare(a.length(), b.length());
		}
		return a.compareTo(b);
	};

	/** By the first field, a key, in {@link #KEY_ORDER}. */
	static final Comparator<String[]> BY_KEY = (a, b) -> KEY_ORDER.compare(a[0], b[0]);

	private final Comparator<String[]> order;

	private final Path directory;

	private final String name;

	private final int chunkRecords;

	private final List<String[]> chunk = new ArrayList<>();

	private final List<Path> runs = new ArrayList<>();

	private final List<Reader> open = new ArrayList<>();

	private long count;

	RecordSort(Path directory, String name, int chunkRecords) {
		this(directory, name, chunkRecords, ORDER);
	}

	RecordSort(Path directory, String name, int chunkRecords, Comparator<String[]> order) {
		this.order = order;
		this.directory = directory;
		this.name = name;
		this.chunkRecords = chunkRecords;
	}

	void add(String[] record) {
		this.chunk.add(record);
		this.count++;
		if (this.chunk.size() >= this.chunkRecords) {
			spill();
		}
	}

	long count() {
		return this.count;
	}

	/** The records added, in order: {@code next()} gives null after the last. */
	Stream sorted() {
		if (this.runs.isEmpty()) {
			this.chunk.sort(this.order);
			List<String[]> records = new ArrayList<>(this.chunk);
			this.chunk.clear();
			return new Stream() {

				private int next;

				@Override
				public String[] next() {
					return this.next < records.size() ? records.get(this.next++) : null;
				}

			};
		}
		if (!this.chunk.isEmpty()) {
			spill();
		}
		PriorityQueue<Reader> heads = new PriorityQueue<>((a, b) -> this.order.compare(a.head, b.head));
		for (Path run : this.runs) {
			Reader reader = new Reader(run);
			this.open.add(reader);
			if (reader.advance()) {
				heads.add(reader);
			}
		}
		return () -> {
			Reader reader = heads.poll();
			if (reader == null) {
				return null;
			}
			String[] record = reader.head;
			if (reader.advance()) {
				heads.add(reader);
			}
			return record;
		};
	}

	private void spill() {
		this.chunk.sort(this.order);
		try {
			Files.createDirectories(this.directory);
			Path run = this.directory.resolve(this.name + "-" + this.runs.size() + ".bin");
			try (DataOutputStream out = new DataOutputStream(
					new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
				for (String[] record : this.chunk) {
					out.writeShort(record.length);
					for (String field : record) {
						if (field == null) {
							out.writeInt(-1);
						}
						else {
							byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
							out.writeInt(bytes.length);
							out.write(bytes);
						}
					}
				}
			}
			this.runs.add(run);
			this.chunk.clear();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write sort file under " + this.directory + ": " + ex.getMessage(),
					ex);
		}
	}

	@Override
	public void close() {
		for (Reader reader : this.open) {
			reader.close();
		}
		this.open.clear();
		for (Path run : this.runs) {
			try {
				Files.deleteIfExists(run);
			}
			catch (IOException ex) {
				// a leftover temporary file; the data directory's tmp folder is Ferry's
			}
		}
		this.runs.clear();
		this.chunk.clear();
	}

	private static boolean digits(String key) {
		if (key.isEmpty()) {
			return false;
		}
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

	/** Records in order, null after the last. */
	@FunctionalInterface
	interface Stream {

		String[] next();

	}

	private static final class Reader {

		private final DataInputStream in;

		private String[] head;

		Reader(Path file) {
			try {
				this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		boolean advance() {
			try {
				int fields;
				try {
					fields = this.in.readShort();
				}
				catch (EOFException ex) {
					this.head = null;
					return false;
				}
				String[] record = new String[fields];
				for (int i = 0; i < fields; i++) {
					int length = this.in.readInt();
					if (length >= 0) {
						byte[] bytes = new byte[length];
						this.in.readFully(bytes);
						record[i] = new String(bytes, StandardCharsets.UTF_8);
					}
				}
				this.head = record;
				return true;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		void close() {
			try {
				this.in.close();
			}
			catch (IOException ex) {
				// reading is over
			}
		}

	}

}
