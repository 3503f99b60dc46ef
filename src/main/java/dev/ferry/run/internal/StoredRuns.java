package dev.ferry.run.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.security.CurrentUser;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Runs in Ferry's store, handed to db-scheduler in the transaction that records them. */
@Service
class StoredRuns implements RunService {

	private final RunRows rows;

	private final PlanService plans;

	private final SchedulerClient scheduler;

	private final OneTimeTask<Long> runTask;

	private final Clock clock;

	private final List<PhaseExecutor> executors;

	private final ApplicationEventPublisher events;

	private final PhaseLifecycle lifecycle;

	StoredRuns(RunRows rows, PlanService plans, SchedulerClient scheduler, OneTimeTask<Long> runTask, Clock clock,
			List<PhaseExecutor> executors, PhaseLifecycle lifecycle, ApplicationEventPublisher events) {
		this.events = events;
		this.lifecycle = lifecycle;
		this.executors = executors;
		this.rows = rows;
		this.plans = plans;
		this.scheduler = scheduler;
		this.runTask = runTask;
		this.clock = clock;
	}

	/**
	 * Implemented here, not as a default method of the interface: a default method runs
	 * on the target object, so its call of the four-argument one would pass by the
	 * transaction and the role check.
	 */
	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public RunView request(String plan, String phaseId, RunMode mode) {
		return request(plan, phaseId, mode, false);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public RunView request(String plan, String phaseId, RunMode mode, boolean confirmIrreversible) {
		PlanVersion version = this.plans.latest(plan);
		PhaseSpec phase = version.spec()
			.phase(phaseId)
			.orElseThrow(() -> new NotFoundException("run.phaseNotFound",
					"Plan " + plan + " has no phase " + phaseId + ".", plan, phaseId));
		if (mode == RunMode.ROLLBACK) {
			throw new RefusedException("run.rollbackFromApply",
					"A rollback undoes one apply: start it from that apply's run.");
		}
		if (mode == RunMode.APPLY && !phase.kind().writes()) {
			throw new RefusedException("run.noApply",
					"A " + phase.kind().yamlName()
							+ " phase has no apply: it only reads, and writes nothing on the databases.",
					phase.kind().yamlName());
		}
		if (!supports(phase, mode)) {
			throw new RefusedException("run.notYet",
					"Ferry cannot " + mode.code() + " a " + phase.kind().yamlName() + " phase yet.", mode.code(),
					phase.kind().yamlName());
		}
		if (mode == RunMode.APPLY && phase instanceof dev.ferry.plan.spec.SqlPhase sql && sql.irreversible()
				&& !confirmIrreversible) {
			throw new RefusedException("run.irreversible",
					"Phase " + phaseId + " is irreversible: it has no rollback. Confirm that explicitly to apply it.",
					phaseId);
		}
		// the phase's lifecycle row before the plan's lock and the audit log (see hold)
		this.lifecycle.hold(plan, phaseId);
		if (mode == RunMode.DRY_RUN) {
			RunView run = start(version, phase, mode, null);
			this.lifecycle.dryRunRequested(plan, phaseId, version.version(), run.id());
			return run;
		}
		// the lifecycle checks the apply (the phase's state, the earlier phases, the
		// gates
		// measured again, the approvals) after the plan's lock is taken, so nothing can
		// change in between; a refusal rolls the request back
		PhaseStatus status = this.lifecycle.status(plan, phaseId);
		RunView run = start(version, phase, mode, null);
		this.lifecycle.applyRequested(plan, phaseId, run.id());
		Long dryRun = status.dryRun();
		if (dryRun != null && (phase instanceof dev.ferry.plan.spec.ImportPhase || phase instanceof MappingPhase)) {
			this.rows.appliesRun(run.id(), dryRun);
			this.rows.log(run.id(), "INFO",
					(phase instanceof MappingPhase)
							? "Writes the map of dry run #" + dryRun + " with the decisions standing when it starts."
							: "Applies the change set of dry run #" + dryRun + ".",
					this.clock.instant());
		}
		return get(run.id());
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<String> applyLocks(String plan, String phaseId) {
		return this.lifecycle.refusals(plan, phaseId, Action.APPLY);
	}

	private RunView start(PlanVersion version, PhaseSpec phase, RunMode mode, Long rollsBack) {
		String plan = version.plan();
		String requestedBy = CurrentUser.get().map(CurrentUser::username).orElse("unknown");
		Instant now = this.clock.instant();
		long id = this.rows.insert(plan, version.version(), phase.id(), phase.kind().yamlName(), mode, requestedBy,
				now);
		if (rollsBack != null) {
			this.rows.rollsBack(id, rollsBack);
		}
		if (!this.rows.lock(plan, id)) {
			long active = this.rows.lockHolder(plan).orElse(0L);
			String reason = "Run #" + active + " of plan " + plan
					+ " is still active; wait for it to end or cancel it before starting another.";
			throw new RefusedException("run.planBusy", reason, List.of(reason), active, plan);
		}
		this.rows.log(id, "INFO", "Requested by " + requestedBy + ".", now);
		this.events.publishEvent(
				new dev.ferry.run.RunRequested(id, plan, version.version(), phase.id(), mode, requestedBy, rollsBack));
		// due now in db-scheduler's own time (the system's), whatever Ferry's clock
		// says: a test that moves Ferry's clock ahead must not postpone the run
		this.scheduler.scheduleIfNotExists(this.runTask.instance(String.valueOf(id), id), Instant.now());
		return this.rows.find(id).orElseThrow();
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public RunView rollback(long applyRunId) {
		return rollback(applyRunId, null, false);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public RunView rollback(long applyRunId, String confirmPlan) {
		return rollback(applyRunId, confirmPlan, true);
	}

	private RunView rollback(long applyRunId, String confirmPlan, boolean asked) {
		RunView apply = get(applyRunId);
		if (apply.mode() != RunMode.APPLY || apply.state().active()) {
			throw new RefusedException("run.rollbackNotApplied",
					"Run #" + applyRunId + " is not an apply that ended, so there is nothing to roll back.",
					applyRunId);
		}
		PlanVersion version = this.plans.version(apply.plan(), apply.planVersion());
		PhaseSpec phase = version.spec().phase(apply.phase()).orElseThrow();
		if (!supports(phase, RunMode.ROLLBACK)) {
			throw new RefusedException("run.notYet",
					"Ferry cannot rollback a " + phase.kind().yamlName() + " phase yet.", RunMode.ROLLBACK.code(),
					phase.kind().yamlName());
		}
		// asked after the lifecycle's own refusals, which say more (roll back another
		// apply first)
		if (asked && RunService.rollbackNamesPlan(apply) && !apply.plan().equals(confirmPlan)
				&& this.lifecycle.refusals(apply.plan(), apply.phase(), Action.ROLLBACK).isEmpty()) {
			long rows = RunService.rowsWritten(apply);
			String reason = "Apply #" + applyRunId + " wrote " + String.format(java.util.Locale.ROOT, "%,d", rows)
					+ " rows: to roll it back, type its plan's id, " + apply.plan() + ".";
			throw new RefusedException("run.rollbackNamesPlan", reason, List.of(reason), applyRunId, rows,
					apply.plan());
		}
		this.lifecycle.hold(apply.plan(), apply.phase());
		RunView rollback = start(version, phase, RunMode.ROLLBACK, applyRunId);
		// the lifecycle checks that this apply stands and is the plan's newest
		this.lifecycle.rollbackRequested(apply.plan(), apply.phase(), rollback.id(), applyRunId);
		return get(rollback.id());
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public RunView get(long id) {
		return this.rows.find(id).orElseThrow(() -> notFound(id));
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<RunView> ofPlan(String plan, Long before, int limit) {
		return this.rows.ofPlan(plan, before, Math.max(1, Math.min(limit, 500)));
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<RunView> latest(String plan, String phase, RunMode mode) {
		return this.rows.latest(plan, phase, mode);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<RunView> latestSucceeded(String plan, String phase, RunMode mode) {
		return this.rows.latestSucceeded(plan, phase, mode);
	}

	@Override
	public boolean supports(PhaseSpec phase, RunMode mode) {
		return this.executors.stream().anyMatch(executor -> executor.supports(phase, mode));
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public boolean active(String plan) {
		return this.rows.lockHolder(plan).isPresent();
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public RunView cancel(long id) {
		RunView run = get(id);
		if (run.mode() == RunMode.ROLLBACK && run.state() == dev.ferry.run.RunState.RUNNING) {
			throw new RefusedException("run.rollbackNotCancellable", "Rollback #" + id
					+ " has started: stopping it halfway would leave the apply half undone, so it runs to its end.",
					id);
		}
		if (!this.rows.requestCancel(id)) {
			throw new RefusedException("run.notActive",
					"Run #" + id + " has already ended (" + run.state().code() + "); there is nothing to cancel.", id,
					run.state().code());
		}
		String by = CurrentUser.get().map(CurrentUser::username).orElse("unknown");
		this.rows.log(id, "INFO", "Cancel requested by " + by + "; the run stops after its current batch.",
				this.clock.instant());
		return get(id);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<RunLogLine> log(long id) {
		get(id);
		return this.rows.log(id);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<String> result(long id, String name) {
		return this.rows.result(id, name);
	}

	private static NotFoundException notFound(long id) {
		return new NotFoundException("run.notFound", "No run has the id " + id + ".", id);
	}

}
