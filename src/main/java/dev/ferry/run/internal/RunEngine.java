package dev.ferry.run.internal;

import java.time.Clock;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import dev.ferry.lifecycle.Outcome;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.Step;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.ErrorWords;
import dev.ferry.run.BatchOutcome;
import dev.ferry.run.CountedFailure;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Executes a run, batch after batch, as the body of its db-scheduler task. Each batch's
 * work, its ledger row with the next checkpoint, its progress and its log lines commit in
 * one transaction of Ferry's store; the final batch also finishes the run and frees the
 * plan. When the scheduler shuts down, the run stops between batches and is handed back
 * to the scheduler, which gives it to the next instance (or this one after a restart): it
 * resumes from the last committed checkpoint.
 */
@Component
class RunEngine {

	static final String TASK = "ferry-run";

	private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

	private final RunRows rows;

	private final PlanService plans;

	private final List<PhaseExecutor> executors;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final PhaseLifecycle lifecycle;

	RunEngine(RunRows rows, PlanService plans, List<PhaseExecutor> executors, TransactionTemplate transactions,
			Clock clock, ApplicationEventPublisher events, PhaseLifecycle lifecycle) {
		this.lifecycle = lifecycle;
		this.events = events;
		this.rows = rows;
		this.plans = plans;
		this.executors = executors;
		this.transactions = transactions;
		this.clock = clock;
	}

	void execute(long runId, ExecutionContext scheduler) {
		MDC.put("run", String.valueOf(runId));
		try {
			SystemActor.run(() -> execute(runId, () -> scheduler.getSchedulerState().isShuttingDown()));
		}
		finally {
			MDC.remove("run");
		}
	}

	/** Runs until the run ends or {@code stopping} says this instance is going away. */
	void execute(long runId, java.util.function.BooleanSupplier stopping) {
		RunView run = this.rows.find(runId).orElse(null);
		if (run == null || !run.state().active()) {
			return;
		}
		Context context;
		PhaseExecutor executor;
		try {
			PlanVersion plan = this.plans.version(run.plan(), run.planVersion());
			PhaseSpec phase = plan.spec()
				.phase(run.phase())
				.orElseThrow(() -> new IllegalStateException(
						"Plan " + run.plan() + " version " + run.planVersion() + " has no phase " + run.phase() + "."));
			context = new Context(runId, run.mode(), plan, phase);
			executor = this.executors.stream()
				.filter(candidate -> candidate.supports(phase, run.mode()))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(
						"Ferry cannot " + run.mode().code() + " a " + phase.kind().yamlName() + " phase yet."));
		}
		catch (RuntimeException ex) {
			fail(run, ex);
			return;
		}
		if (run.state() == RunState.QUEUED) {
			this.transactions.executeWithoutResult(status -> {
				this.rows.start(runId, null, this.clock.instant());
				this.events.publishEvent(new dev.ferry.run.RunStarted(runId, run.plan(), run.phase(), run.mode()));
				this.rows.log(runId, "INFO", "Started " + run.mode().code() + " of phase " + run.phase() + " ("
						+ run.kind() + ") of " + run.plan() + " version " + run.planVersion() + ".",
						this.clock.instant());
			});
			log.info("Run {} started: {} of {}/{} version {}, requested by {}", runId, run.mode().code(), run.plan(),
					run.phase(), run.planVersion(), run.requestedBy());
			try {
				// counting may take a while (a source query), so the run shows as running
				// first
				Long total = executor.total(context);
				this.rows.start(runId, total, this.clock.instant());
			}
			catch (RuntimeException ex) {
				fail(run, ex);
				executor.close(context);
				return;
			}
		}
		else {
			int batches = this.rows.lastBatch(runId).map(RunRows.Batch::number).orElse(0);
			this.transactions.executeWithoutResult(status -> this.rows.log(runId, "INFO",
					"Resumed after " + batches + " committed batch(es).", this.clock.instant()));
			log.info("Run {} resumed after {} committed batches", runId, batches);
			if (run.total() == null) {
				// the instance stopped after the run started but before its total was
				// recorded: count it now, or the run would end without one
				try {
					this.rows.start(runId, executor.total(context), this.clock.instant());
				}
				catch (RuntimeException ex) {
					fail(run, ex);
					executor.close(context);
					return;
				}
			}
		}
		try {
			loop(run, executor, context, stopping);
		}
		finally {
			executor.close(context);
		}
	}

	private void loop(RunView run, PhaseExecutor executor, Context context,
			java.util.function.BooleanSupplier stopping) {
		long runId = run.id();
		while (true) {
			if (stopping.getAsBoolean()) {
				throw new RunHandedBack(runId);
			}
			if (this.rows.cancelRequested(runId)) {
				end(run, RunState.CANCELLED, null, "Cancelled at a batch boundary, as requested.");
				return;
			}
			try {
				boolean finished = Boolean.TRUE
					.equals(this.transactions.execute(status -> batch(run, executor, context)));
				if (finished) {
					return;
				}
			}
			catch (RuntimeException ex) {
				if (stopping.getAsBoolean()) {
					// the batch was cut off by the shutdown and rolled back: hand the run
					// back
					throw new RunHandedBack(runId);
				}
				fail(run, ex);
				return;
			}
		}
	}

	private boolean batch(RunView run, PhaseExecutor executor, Context context) {
		RunRows.Batch last = this.rows.lastBatch(run.id()).orElse(null);
		int number = last == null ? 1 : last.number() + 1;
		BatchOutcome outcome = executor.runBatch(context, last == null ? null : last.checkpoint());
		this.rows.recordBatch(run.id(), number, outcome.checkpoint(), outcome.units(), this.clock.instant());
		this.rows.progress(run.id(), outcome.units(), outcome.counts());
		if (outcome.finished()) {
			this.rows.finish(run.id(), RunState.SUCCEEDED, null, this.clock.instant());
			if (run.mode() == RunMode.ROLLBACK) {
				this.rows.markRolledBack(run.id());
			}
			// the phase's lifecycle row first, then the plan's lock, then the audit log:
			// the
			// order every transaction takes them in, so none waits for another in a
			// circle
			ended(run, RunState.SUCCEEDED);
			this.rows.unlock(run.plan(), run.id());
			this.rows.log(run.id(), "INFO", "Succeeded after " + number + " batch(es).", this.clock.instant());
			log.info("Run {} succeeded after {} batch(es)", run.id(), number);
		}
		return outcome.finished();
	}

	private void fail(RunView run, RuntimeException ex) {
		String message = ErrorWords.of(ex);
		log.warn("Run {} failed: {}", run.id(), message);
		if (ex instanceof CountedFailure counted) {
			// the failed batch was rolled back, but what stopped it is counted
			// (conflicts)
			this.transactions.executeWithoutResult(status -> this.rows.progress(run.id(), 0, counted.counts()));
		}
		end(run, RunState.FAILED, message, "Failed: " + message);
	}

	private void end(RunView run, RunState state, String error, String line) {
		this.transactions.executeWithoutResult(status -> {
			this.rows.finish(run.id(), state, error, this.clock.instant());
			ended(run, state);
			this.rows.unlock(run.plan(), run.id());
			this.rows.log(run.id(), state == RunState.FAILED ? "ERROR" : "INFO", line, this.clock.instant());
		});
	}

	/**
	 * Whether the apply's committed batches wrote to its target, as its executor judges.
	 */
	private boolean wroteTarget(RunView run) {
		String checkpoint = this.rows.lastBatch(run.id()).map(RunRows.Batch::checkpoint).orElse(null);
		if (checkpoint == null) {
			return false;
		}
		PlanVersion version = this.plans.version(run.plan(), run.planVersion());
		PhaseSpec phase = version.spec().phase(run.phase()).orElse(null);
		if (phase == null) {
			return true;
		}
		Context context = new Context(run.id(), run.mode(), version, phase);
		return this.executors.stream()
			.filter(executor -> executor.supports(phase, run.mode()))
			.findFirst()
			.map(executor -> executor.wroteTarget(context, checkpoint))
			.orElse(true);
	}

	private void ended(RunView run, RunState state) {
		Step step = switch (run.mode()) {
			case DRY_RUN -> Step.DRY_RUN;
			case APPLY -> Step.APPLY;
			case ROLLBACK -> Step.ROLLBACK;
		};
		Outcome outcome = switch (state) {
			case SUCCEEDED -> Outcome.SUCCEEDED;
			case CANCELLED -> Outcome.CANCELLED;
			default -> Outcome.FAILED;
		};
		// an apply that did not succeed stands in part when it committed work in the
		// target
		boolean wrote = run.mode() == RunMode.APPLY && state != RunState.SUCCEEDED && wroteTarget(run);
		String error = (state == RunState.FAILED) ? this.rows.find(run.id()).map(RunView::error).orElse(null) : null;
		this.lifecycle.runEnded(run.plan(), run.phase(), run.id(), run.planVersion(), step, outcome, wrote, error);
		this.events.publishEvent(
				new dev.ferry.run.RunEnded(run.id(), run.plan(), run.planVersion(), run.phase(), run.mode(), state));
	}

	/**
	 * Thrown to give a run back to the scheduler when this instance shuts down mid-run.
	 */
	static final class RunHandedBack extends RuntimeException {

		RunHandedBack(long runId) {
			super("Run " + runId + " was handed back to the scheduler at shutdown; it resumes from its last batch.");
		}

	}

	private final class Context implements RunContext {

		private final long runId;

		private final RunMode mode;

		private final PlanVersion plan;

		private final PhaseSpec phase;

		Context(long runId, RunMode mode, PlanVersion plan, PhaseSpec phase) {
			this.runId = runId;
			this.mode = mode;
			this.plan = plan;
			this.phase = phase;
		}

		@Override
		public long runId() {
			return this.runId;
		}

		@Override
		public RunMode mode() {
			return this.mode;
		}

		@Override
		public PlanVersion plan() {
			return this.plan;
		}

		@Override
		public PhaseSpec phase() {
			return this.phase;
		}

		@Override
		public java.time.Instant requestedAt() {
			return RunEngine.this.rows.find(this.runId)
				.orElseThrow(() -> new IllegalStateException("Run #" + this.runId + " is not in Ferry's store."))
				.requestedAt();
		}

		@Override
		public java.util.Optional<Long> appliesRun() {
			return (this.mode == RunMode.ROLLBACK) ? rollsBack().flatMap(RunEngine.this.rows::appliesRun)
					: RunEngine.this.rows.appliesRun(this.runId);
		}

		@Override
		public java.util.Optional<Long> rollsBack() {
			return RunEngine.this.rows.rollsBack(this.runId);
		}

		@Override
		public void log(String message) {
			RunEngine.this.rows.log(this.runId, "INFO", message, RunEngine.this.clock.instant());
		}

		@Override
		public void putResult(String name, String json) {
			RunEngine.this.rows.putResult(this.runId, name, json);
		}

		@Override
		public void startOver(Long total, String why) {
			RunEngine.this.rows.resetProgress(this.runId, total);
			log(why);
		}

		@Override
		public void recordChangeSet(String sha256) {
			RunEngine.this.rows.changeSet(this.runId, sha256);
		}

	}

}
