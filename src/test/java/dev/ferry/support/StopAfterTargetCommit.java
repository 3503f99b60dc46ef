package dev.ferry.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunMode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Stops Ferry between a batch's commit on the target and its commit in Ferry's store: the
 * sql phase's executor is wrapped, and once {@link #arm armed} for a phase kind and mode,
 * the next batch of such a run does its work (and commits it on the target) and then
 * tells the test ({@link #committedOnTarget}), which closes the application context. The
 * batch waits until the scheduler is shutting down and throws, so the engine hands the
 * run back and the store's transaction of that batch rolls back: the store never learns
 * that the batch committed on the target, exactly as if Ferry had crashed there. No
 * production code knows about this.
 */
@TestConfiguration(proxyBeanMethods = false)
public class StopAfterTargetCommit {

	/**
	 * The bean this wraps: the sql phase's executor ({@code sql.internal.SqlExecutor}).
	 */
	static final String SQL_EXECUTOR = "sqlExecutor";

	private static volatile Armed armed;

	/**
	 * Stops the next batch of a run of this phase kind and mode after its work; the latch
	 * opens once the work is done.
	 */
	public static CountDownLatch arm(PhaseSpec.Kind kind, RunMode mode) {
		Armed next = new Armed(kind, mode, new CountDownLatch(1));
		armed = next;
		return next.committed();
	}

	/** Waits until the armed batch has done its work (a minute at most). */
	public static void committedOnTarget(CountDownLatch latch) {
		try {
			if (!latch.await(60, TimeUnit.SECONDS)) {
				throw new AssertionError("Timed out after 60 s waiting for the batch to commit on the target");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	@Bean
	static BeanPostProcessor stopAfterTargetCommitExecutors(ObjectProvider<Scheduler> scheduler) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				// only the sql phase's executor: other beans inject the import's by their
				// own types
				return (bean instanceof PhaseExecutor executor && SQL_EXECUTOR.equals(beanName))
						? new Stopping(executor, scheduler) : bean;
			}
		};
	}

	private record Armed(PhaseSpec.Kind kind, RunMode mode, CountDownLatch committed) {
	}

	private record Stopping(PhaseExecutor delegate, ObjectProvider<Scheduler> scheduler) implements PhaseExecutor {

		@Override
		public boolean supports(PhaseSpec phase, RunMode mode) {
			return this.delegate.supports(phase, mode);
		}

		@Override
		public Long total(RunContext run) {
			return this.delegate.total(run);
		}

		@Override
		public BatchOutcome runBatch(RunContext run, String checkpoint) {
			BatchOutcome outcome = this.delegate.runBatch(run, checkpoint);
			Armed stop = armed;
			if (stop == null || stop.kind() != run.phase().kind() || stop.mode() != run.mode()) {
				return outcome;
			}
			armed = null;
			stop.committed().countDown();
			// the test closes the context now; the engine hands the run back only when
			// the scheduler says it is shutting down
			Await.until(() -> this.scheduler.getObject().getSchedulerState().isShuttingDown(),
					"the scheduler to shut down");
			throw new IllegalStateException("Stopped by the test after the batch committed on the target, "
					+ "before Ferry's store recorded it.");
		}

		@Override
		public boolean wroteTarget(RunContext run, String lastCheckpoint) {
			return this.delegate.wroteTarget(run, lastCheckpoint);
		}

		@Override
		public void close(RunContext run) {
			this.delegate.close(run);
		}

	}

}
