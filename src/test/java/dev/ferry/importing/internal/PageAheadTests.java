package dev.ferry.importing.internal;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.StoredChange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PageAheadTests {

	final ConcurrentLinkedQueue<String> reads = new ConcurrentLinkedQueue<>();

	List<StoredChange> page(long after) {
		this.reads.add(Thread.currentThread().getName() + ":" + after);
		return List.of(new StoredChange(after + 1, ChangeOp.INSERT, List.of("k" + (after + 1)), null, List.of("v")));
	}

	@Test
	void thePageReadAheadIsTheOneTakenWhenTheNextBatchStartsThere() {
		try (PageAhead<List<StoredChange>> ahead = new PageAhead<>(this::page, "ahead")) {
			assertThat(ahead.take(0)).extracting(StoredChange::seq).containsExactly(1L);
			ahead.readAhead(1);
			assertThat(ahead.take(1)).extracting(StoredChange::seq).containsExactly(2L);
		}
		assertThat(this.reads).containsExactly(Thread.currentThread().getName() + ":0", "ahead:1");
	}

	@Test
	void anotherPositionIsReadAtOnce() {
		try (PageAhead<List<StoredChange>> ahead = new PageAhead<>(this::page, "ahead")) {
			ahead.readAhead(5);
			assertThat(ahead.take(9)).extracting(StoredChange::seq).containsExactly(10L);
			assertThat(ahead.take(5)).as("the page read ahead is gone once another was taken")
				.extracting(StoredChange::seq)
				.containsExactly(6L);
		}
		assertThat(this.reads).contains(Thread.currentThread().getName() + ":9",
				Thread.currentThread().getName() + ":5");
	}

	@Test
	void aFailedReadAheadIsThrownByTheTakeThatWantedIt() {
		try (PageAhead<List<StoredChange>> ahead = new PageAhead<>(after -> {
			throw new IllegalStateException("store gone at " + after);
		}, "ahead")) {
			ahead.readAhead(3);
			assertThatIllegalStateException().isThrownBy(() -> ahead.take(3)).withMessage("store gone at 3");
		}
	}

	@Test
	void closeLetsAReadInProgressFinishWithoutInterruptingIt() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch finished = new CountDownLatch(1);
		boolean[] interrupted = new boolean[1];
		PageAhead<List<StoredChange>> ahead = new PageAhead<>(after -> {
			started.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				interrupted[0] = true;
			}
			finished.countDown();
			return List.of();
		}, "ahead");
		ahead.readAhead(1);
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		ahead.close();
		release.countDown();
		assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(interrupted[0]).isFalse();
	}

}
