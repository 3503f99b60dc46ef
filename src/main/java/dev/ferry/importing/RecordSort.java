package dev.ferry.importing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An external sort: records are sorted in chunks, each chunk spilled to a file under the
 * run's own directory, and the files merged, so memory holds one chunk, not the table.
 * The sort is stable within a chunk only, so an order that must keep equal records in
 * their arrival order breaks ties itself (an import's source rows by their ordinal). A
 * {@link Codec} says how a record is written to a file and read back. Import dry runs
 * sort normalized source rows with it, mapping dry runs their records and scored items.
 *
 * @param <T> the records sorted
 */
public final class RecordSort<T> implements AutoCloseable {

	/**
	 * Records of text fields, by their first field, then their second (a mapping's
	 * normalized block value, then the key). A null field sorts first.
	 */
	public static final Comparator<String[]> ORDER = (a, b) -> {
		int first = compareNullsFirst(a[0], b[0]);
		return (first != 0) ? first : compareNullsFirst(a[1], b[1]);
	};

	private static int compareNullsFirst(String a, String b) {
		if (a == null || b == null) {
			return (a == null) ? ((b == null) ? 0 : -1) : 1;
		}
		return a.compareTo(b);
	}

	/**
	 * Keys as people count them: keys of digits only first, by their number (shorter
	 * first, then by digits), then all other keys as text.
	 */
	public static final Comparator<String> KEY_ORDER = (a, b) -> {
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

	/** Records of text fields by the first field, a key, in {@link #KEY_ORDER}. */
	public static final Comparator<String[]> BY_KEY = (a, b) -> KEY_ORDER.compare(a[0], b[0]);

	/** Records of text fields, any of them null. */
	public static final Codec<String[]> TEXTS = new Codec<>() {

		@Override
		public void write(DataOutputStream out, String[] record) throws IOException {
			out.writeShort(record.length);
			for (String field : record) {
				writeText(out, field);
			}
		}

		@Override
		public String[] read(DataInputStream in) throws IOException {
			String[] record = new String[in.readShort()];
			for (int i = 0; i < record.length; i++) {
				record[i] = readText(in);
			}
			return record;
		}

	};

	private final Path directory;

	private final String name;

	private final int chunkRecords;

	private final Comparator<T> order;

	private final Codec<T> codec;

	private final List<T> chunk = new ArrayList<>();

	private final List<Path> runs = new ArrayList<>();

	private final List<Reader<T>> open = new ArrayList<>();

	private long count;

	/**
	 * @param directory where chunks are spilled; removed on close once it is empty
	 * @param name the files' name, {@code <name>-<n>.bin}
	 * @param chunkRecords records held in memory before a chunk is spilled
	 */
	public RecordSort(Path directory, String name, int chunkRecords, Comparator<T> order, Codec<T> codec) {
		this.directory = directory;
		this.name = name;
		this.chunkRecords = chunkRecords;
		this.order = order;
		this.codec = codec;
	}

	/** A sort of records of text fields in {@link #ORDER}. */
	public static RecordSort<String[]> texts(Path directory, String name, int chunkRecords) {
		return texts(directory, name, chunkRecords, ORDER);
	}

	public static RecordSort<String[]> texts(Path directory, String name, int chunkRecords,
			Comparator<String[]> order) {
		return new RecordSort<>(directory, name, chunkRecords, order, TEXTS);
	}

	public void add(T record) {
		this.chunk.add(record);
		this.count++;
		if (this.chunk.size() >= this.chunkRecords) {
			spill();
		}
	}

	public long count() {
		return this.count;
	}

	/** The records added, in order: {@code next()} gives null after the last. */
	public Stream<T> sorted() {
		if (this.runs.isEmpty()) {
			// everything fitted in one chunk: no file needed
			this.chunk.sort(this.order);
			List<T> records = new ArrayList<>(this.chunk);
			this.chunk.clear();
			return new Stream<>() {

				private int next;

				@Override
				public T next() {
					return this.next < records.size() ? records.get(this.next++) : null;
				}

			};
		}
		if (!this.chunk.isEmpty()) {
			spill();
		}
		PriorityQueue<Reader<T>> heads = new PriorityQueue<>((a, b) -> this.order.compare(a.head, b.head));
		for (Path run : this.runs) {
			Reader<T> reader = new Reader<>(run, this.codec);
			this.open.add(reader);
			if (reader.advance()) {
				heads.add(reader);
			}
		}
		return () -> {
			Reader<T> reader = heads.poll();
			if (reader == null) {
				return null;
			}
			T record = reader.head;
			if (reader.advance()) {
				heads.add(reader);
			}
			return record;
		};
	}

	private void spill() {
		Path run = this.directory.resolve(this.name + "-" + this.runs.size() + ".bin");
		try {
			write(run, this.chunk);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write sort file under " + this.directory + ": " + ex.getMessage(),
					ex);
		}
		finally {
			// a file begun is deleted at close even if it failed
			this.runs.add(run);
		}
		this.chunk.clear();
	}

	private void write(Path run, List<T> records) throws IOException {
		records.sort(this.order);
		Files.createDirectories(this.directory);
		try (DataOutputStream out = new DataOutputStream(new SpillOutput(Files.newOutputStream(run)))) {
			for (T record : records) {
				this.codec.write(out, record);
			}
		}
	}

	@Override
	public void close() {
		for (Reader<T> reader : this.open) {
			reader.close();
		}
		this.open.clear();
		try {
			for (Path run : this.runs) {
				Files.deleteIfExists(run);
			}
			Files.deleteIfExists(this.directory);
		}
		catch (DirectoryNotEmptyException ex) {
			// another sort of the run still spills there; the last one removes it
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot remove the sort files in " + this.directory, ex);
		}
		this.runs.clear();
		this.chunk.clear();
	}

	public static void writeText(DataOutputStream out, String text) throws IOException {
		if (text == null) {
			out.writeInt(-1);
			return;
		}
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	public static String readText(DataInputStream in) throws IOException {
		int length = in.readInt();
		if (length < 0) {
			return null;
		}
		return new String(in.readNBytes(length), StandardCharsets.UTF_8);
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

	/** How a record is kept in a spill file. */
	public interface Codec<T> {

		void write(DataOutputStream out, T record) throws IOException;

		/**
		 * The next record of a file.
		 * @throws EOFException when the file has no more records
		 */
		T read(DataInputStream in) throws IOException;

	}

	/** Records in order, null after the last. */
	@FunctionalInterface
	public interface Stream<T> {

		T next();

	}

	/**
	 * A buffered stream for one spill file, which has one writer: the bytes of
	 * {@link DataOutputStream#writeInt} and the like are buffered without
	 * {@link java.io.BufferedOutputStream}'s lock on each one (writing took about a third
	 * of the time of spilling a mapping's records in a profile; how much of it was the
	 * lock was not measured).
	 */
	private static final class SpillOutput extends OutputStream {

		private final OutputStream out;

		private final byte[] buffer = new byte[1 << 16];

		private int count;

		SpillOutput(OutputStream out) {
			this.out = out;
		}

		@Override
		public void write(int b) throws IOException {
			if (this.count == this.buffer.length) {
				drain();
			}
			this.buffer[this.count++] = (byte) b;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			if (length > this.buffer.length - this.count) {
				drain();
				if (length >= this.buffer.length) {
					this.out.write(bytes, offset, length);
					return;
				}
			}
			System.arraycopy(bytes, offset, this.buffer, this.count, length);
			this.count += length;
		}

		private void drain() throws IOException {
			if (this.count > 0) {
				this.out.write(this.buffer, 0, this.count);
				this.count = 0;
			}
		}

		@Override
		public void flush() throws IOException {
			drain();
			this.out.flush();
		}

		@Override
		public void close() throws IOException {
			try {
				flush();
			}
			finally {
				this.out.close();
			}
		}

	}

	/** A spill file read back through a buffer without a lock on each byte. */
	private static final class SpillInput extends InputStream {

		private final InputStream in;

		private final byte[] buffer = new byte[1 << 16];

		private int position;

		private int limit;

		SpillInput(InputStream in) {
			this.in = in;
		}

		@Override
		public int read() throws IOException {
			if (this.position == this.limit && !fill()) {
				return -1;
			}
			return this.buffer[this.position++] & 0xFF;
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			if (this.position == this.limit) {
				if (length >= this.buffer.length) {
					return this.in.read(bytes, offset, length);
				}
				if (!fill()) {
					return -1;
				}
			}
			int n = Math.min(length, this.limit - this.position);
			System.arraycopy(this.buffer, this.position, bytes, offset, n);
			this.position += n;
			return n;
		}

		private boolean fill() throws IOException {
			int n = this.in.read(this.buffer, 0, this.buffer.length);
			if (n <= 0) {
				return false;
			}
			this.position = 0;
			this.limit = n;
			return true;
		}

		@Override
		public void close() throws IOException {
			this.in.close();
		}

	}

	/** One spilled chunk, read back record by record. */
	private static final class Reader<T> {

		private final DataInputStream in;

		private final Codec<T> codec;

		private T head;

		Reader(Path file, Codec<T> codec) {
			this.codec = codec;
			try {
				this.in = new DataInputStream(new SpillInput(Files.newInputStream(file)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		boolean advance() {
			try {
				this.head = this.codec.read(this.in);
				return true;
			}
			catch (EOFException end) {
				this.head = null;
				return false;
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
				// the file is deleted next
			}
		}

	}

}
