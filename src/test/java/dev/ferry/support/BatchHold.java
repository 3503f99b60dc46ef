package dev.ferry.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunMode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Holds a real run between two of its batches, so a test knows exactly where the run
 * stands when it looks at it, closes the application context, or lets another instance
 * try to take it.
 * <p>
 * The configuration adds a {@link PhaseExecutor} of the highest precedence that decorates
 * the executor the engine would otherwise have chosen (the first other executor that
 * supports the phase), passing {@code supports}, {@code total}, {@code runBatch} and
 * {@code close} through. A test arms a {@link Hold} with {@link #afterBatches}: the first
 * run of that plan, phase and mode that has exactly that many batches committed in
 * Ferry's store is stopped when the engine asks for its next batch, before the real
 * executor is called (in the engine's batch transaction, which has written nothing yet).
 * The run then waits until either
 * <ul>
 * <li>the test {@linkplain Hold#release() releases} it: the batch runs as usual; or</li>
 * <li>the instance's scheduler shuts down (the context is being closed): the batch is
 * abandoned with an exception, its empty transaction rolls back and the engine hands the
 * run back to the scheduler, exactly as at any other batch boundary.</li>
 * </ul>
 * A hold trips once; runs that do not match it, and every run after it tripped, pass
 * straight through. Contexts started with this configuration in one JVM share the armed
 * hold, so a test can arm it again before starting the next context to catch a resumed
 * run at its first batch.
 */
@TestConfiguration(proxyBeanMethods = false)
public class BatchHold {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	private static final AtomicReference<Hold> armed = new AtomicReference<>();

	/**
	 * Arms a hold: the next run of the plan's phase in the mode is held once
	 * {@code batches} of its batches are committed, before the next one starts.
	 */
	public static Hold afterBatches(String plan, String phase, RunMode mode, int batches) {
		Hold hold = new Hold(plan, phase, mode, batches);
		armed.set(hold);
		return hold;
	}

	/** Disarms a hold that has not tripped yet. */
	public static void disarm() {
		armed.set(null);
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	PhaseExecutor batchHoldExecutor(ObjectProvider<PhaseExecutor> executors, ObjectProvider<Scheduler> scheduler,
			JdbcClient store, @Value("${ferry.test.instance:main}") String instance) {
		return new Holding(executors, scheduler, store, instance);
	}

	/** One armed hold, and what happened to it. */
	public static final class Hold {

		private final String plan;

		private final String phase;

		private final RunMode mode;

		private final int batches;

		private final CountDownLatch reached = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		private final CountDownLatch over = new CountDownLatch(1);

		private volatile long runId;

		private volatile String instance;

		private volatile boolean handedBack;

		private Hold(String plan, String phase, RunMode mode, int batches) {
			this.plan = plan;
			this.phase = phase;
			this.mode = mode;
			this.batches = batches;
		}

		/**
		 * Waits until a run is held, and answers its id; it then has exactly the armed
		 * number of batches committed.
		 */
		public long awaitHeld() {
			await(this.reached, "a run of " + this.plan + "/" + this.phase + " (" + this.mode.code()
					+ ") to be held after " + this.batches + " batch(es)");
			return this.runId;
		}

		/** The {@code ferry.test.instance} of the context whose run is held. */
		public String instance() {
			return this.instance;
		}

		/** Lets the held run go on with its next batch. */
		public void release() {
			this.released.countDown();
		}

		/**
		 * Waits until the held batch was either released or abandoned at a shutdown;
		 * answers whether it was abandoned (the run handed back with exactly the armed
		 * number of batches committed).
		 */
		public boolean awaitOver() {
			await(this.over, "the held run #" + this.runId + " to go on or be handed back");
			return this.handedBack;
		}

		private boolean matches(RunContext run, long committed) {
			return this.plan.equals(run.plan().plan()) && this.phase.equals(run.phase().id()) && this.mode == run.mode()
					&& committed == this.batches;
		}

		private static void await(CountDownLatch latch, String what) {
			try {
				if (!latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
					throw new AssertionError("Timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for " + what, ex);
			}
		}

	}

	private static final class Holding implements PhaseExecutor {

		private final ObjectProvider<PhaseExecutor> executors;

		private final ObjectProvider<Scheduler> scheduler;

		private final JdbcClient store;

		private final String instance;

		Holding(ObjectProvider<PhaseExecutor> executors, ObjectProvider<Scheduler> scheduler, JdbcClient store,
				String instance) {
			this.executors = executors;
			this.scheduler = scheduler;
			this.store = store;
			this.instance = instance;
		}

		/** The executor the engine would choose without this one. */
		private PhaseExecutor delegate(PhaseSpec phase, RunMode mode) {
			return this.executors.orderedStream()
				.filter(executor -> executor != this && executor.supports(phase, mode))
				.findFirst()
				.orElse(null);
		}

		private PhaseExecutor delegate(RunContext run) {
			PhaseExecutor delegate = delegate(run.phase(), run.mode());
			if (delegate == null) {
				throw new IllegalStateException("No executor supports " + run.phase().id());
			}
			return delegate;
		}

		@Override
		public boolean supports(PhaseSpec phase, RunMode mode) {
			return delegate(phase, mode) != null;
		}

		@Override
		public Long total(RunContext run) {
			return delegate(run).total(run);
		}

		@Override
		public BatchOutcome runBatch(RunContext run, String checkpoint) {
			Hold hold = armed.get();
			if (hold != null) {
				// in the engine's batch transaction: the batches committed so far
				long committed = this.store.sql("SELECT count(*) FROM run_batches WHERE run_id = ?")
					.param(run.runId())
					.query(Long.class)
					.single();
				if (hold.matches(run, committed) && armed.compareAndSet(hold, null)) {
					hold(hold, run);
				}
			}
			return delegate(run).runBatch(run, checkpoint);
		}

		private void hold(Hold hold, RunContext run) {
			hold.runId = run.runId();
			hold.instance = this.instance;
			hold.reached.countDown();
			try {
				while (!hold.released.await(20, TimeUnit.MILLISECONDS)) {
					Scheduler scheduler = this.scheduler.getIfAvailable();
					if (scheduler != null && scheduler.getSchedulerState().isShuttingDown()) {
						hold.handedBack = true;
						throw new IllegalStateException("Batch " + (hold.batches + 1) + " of run #" + run.runId()
								+ " was held when the instance shut down.");
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				hold.handedBack = true;
				throw new IllegalStateException("Interrupted while held", ex);
			}
			finally {
				hold.over.countDown();
			}
		}

		@Override
		public boolean wroteTarget(RunContext run, String lastCheckpoint) {
			return delegate(run).wroteTarget(run, lastCheckpoint);
		}

		@Override
		public void close(RunContext run) {
			PhaseExecutor delegate = delegate(run.phase(), run.mode());
			if (delegate != null) {
				delegate.close(run);
			}
		}

	}

}
