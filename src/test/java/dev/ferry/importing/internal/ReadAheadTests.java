package dev.ferry.importing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ferry.importing.internal.ImportItems.ItemStream;
import dev.ferry.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The read-ahead of a dry run's sides: the same items in the same order as the stream, a
 * failure where the stream failed, and a close that stops the reading thread before it
 * closes the stream.
 */
class ReadAheadTests {

	@ParameterizedTest(name = "{0} items")
	@ValueSource(ints = { 0, 1, ReadAhead.CHUNK - 1, ReadAhead.CHUNK, ReadAhead.CHUNK + 1,
			ReadAhead.CHUNK * ReadAhead.CHUNKS * 3 + 17 })
	void givesEveryItemInOrderThenNullForGood(int count) {
		Numbers numbers = new Numbers(count, -1);
		List<Integer> read = new ArrayList<>();
		try (ReadAhead<Integer> ahead = new ReadAhead<>(numbers, "test-read-ahead")) {
			for (Integer item = ahead.next(); item != null; item = ahead.next()) {
				read.add(item);
			}
			assertThat(ahead.next()).isNull();
		}
		assertThat(read).hasSize(count);
		for (int i = 0; i < count; i++) {
			assertThat(read.get(i)).isEqualTo(i);
		}
		assertThat(numbers.closed).isTrue();
	}

	@Test
	void aFailureComesAfterTheItemsBeforeItAsItWasThrown() {
		int failAt = ReadAhead.CHUNK * 2 + 5;
		try (ReadAhead<Integer> ahead = new ReadAhead<>(new Numbers(10_000, failAt), "test-read-ahead")) {
			for (int i = 0; i < failAt; i++) {
				assertThat(ahead.next()).isEqualTo(i);
			}
			assertThatIllegalStateException().isThrownBy(ahead::next).withMessage("Reading the source failed: boom");
			assertThatIllegalStateException().isThrownBy(ahead::next).withMessage("Reading the source failed: boom");
		}
	}

	@Test
	void closingStopsTheReaderBeforeItClosesTheStream() throws Exception {
		Numbers numbers = new Numbers(Integer.MAX_VALUE, -1);
		ReadAhead<Integer> ahead = new ReadAhead<>(numbers, "test-read-ahead");
		assertThat(ahead.next()).isZero();
		// the reader fills its chunks and waits for room
		Await.until(() -> numbers.read.get() >= ReadAhead.CHUNK * (ReadAhead.CHUNKS + 1),
				"the reader to fill its chunks");
		ahead.close();
		int read = numbers.read.get();
		assertThat(numbers.closed).isTrue();
		assertThat(numbers.readAfterClose).isFalse();
		// close() returns once the reading thread has ended, so the count is final
		assertThat(numbers.read.get()).as("nothing is read once closed").isEqualTo(read);
		ahead.close();
	}

	@Test
	void closingBeforeReadingAnythingIsFine() {
		Numbers numbers = new Numbers(5, -1);
		new ReadAhead<>(numbers, "test-read-ahead").close();
		assertThat(numbers.closed).isTrue();
	}

	/** 0, 1, 2, ... up to count, failing at one of them if asked. */
	static final class Numbers implements ItemStream<Integer> {

		final int count;

		final int failAt;

		final AtomicInteger read = new AtomicInteger();

		volatile boolean closed;

		volatile boolean readAfterClose;

		Numbers(int count, int failAt) {
			this.count = count;
			this.failAt = failAt;
		}

		@Override
		public Integer next() {
			if (this.closed) {
				this.readAfterClose = true;
			}
			int next = this.read.get();
			if (next == this.failAt) {
				throw new IllegalStateException("Reading the source failed: boom");
			}
			if (next >= this.count) {
				return null;
			}
			this.read.incrementAndGet();
			return next;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
