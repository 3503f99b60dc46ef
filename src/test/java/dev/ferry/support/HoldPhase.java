package dev.ferry.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunCounts;
import dev.ferry.run.RunMode;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A phase kind made for tests that watch a run while it runs: a preflight phase with the
 * id {@code hold} does batches of {@value #UNITS} units, 50 ms each, until
 * {@link #release()}, then ends. Other phases run as usual.
 */
@TestConfiguration(proxyBeanMethods = false)
public class HoldPhase {

	public static final int UNITS = 100;

	private static volatile CountDownLatch released = new CountDownLatch(1);

	/** Lets every holding run end after its current batch. */
	public static void release() {
		released.countDown();
	}

	/** Holds the runs that start from now on. */
	public static void hold() {
		released = new CountDownLatch(1);
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	PhaseExecutor holdExecutor() {
		return new PhaseExecutor() {
			@Override
			public boolean supports(PhaseSpec phase, RunMode mode) {
				return phase.kind() == PhaseSpec.Kind.PREFLIGHT && "hold".equals(phase.id());
			}

			@Override
			public BatchOutcome runBatch(RunContext run, String checkpoint) {
				boolean done;
				try {
					done = released.await(50, TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted", ex);
				}
				return new BatchOutcome("held", UNITS, new RunCounts(UNITS, 0, 0, UNITS, 0, 0, 0), done);
			}
		};
	}

}
