package dev.ferry.run.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.ApplyCondition;
import dev.ferry.run.Measurement;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.security.CurrentUser;

import org.springframework.beans.factory.ObjectProvider;
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

	private final PreflightExecutor preflight;

	private final ApplicationEventPublisher events;

	/**
	 * Looked up when asked: the conditions' modules depend on this one (the gates read
	 * runs), so they cannot be handed to its constructor.
	 */
	private final ObjectProvider<ApplyCondition> conditions;

	StoredRuns(RunRows rows, PlanService plans, SchedulerClient scheduler, OneTimeTask<Long> runTask, Clock clock,
			List<PhaseExecutor> executors, PreflightExecutor preflight, ObjectProvider<ApplyCondition> conditions,
			ApplicationEventPublisher events) {
		this.events = events;
		this.conditions = conditions;
		this.preflight = preflight;
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
		if (mode == RunMode.APPLY
				&& (phase.kind() == PhaseSpec.Kind.PREFLIGHT || phase.kind() == PhaseSpec.Kind.VERIFY)) {
			throw new RefusedException("run.noApply",
					"A " + phase.kind().yamlName() + " phase has no apply: it only measures, and writes nothing.",
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
		Long dryRun = null;
		if (mode == RunMode.APPLY) {
			earlierPhasesApplied(version, phase);
			// every apply follows a succeeded dry run of the plan's current version: an
			// import replays its change set, a mapping writes its map, and the approvals
			// of all three name it
			RunView reviewed = reviewedDryRun(version, phase);
			if (phase instanceof dev.ferry.plan.spec.ImportPhase || phase instanceof MappingPhase) {
				dryRun = reviewed.id();
			}
			List<String> refusals = new ArrayList<>();
			for (ApplyCondition condition : this.conditions.orderedStream().toList()) {
				refusals.addAll(condition.refusals(version, phase, reviewed, true));
			}
			if (!refusals.isEmpty()) {
				throw new RefusedException("run.applyLocked",
						"Apply of phase " + phaseId + " is locked: " + String.join(" ", refusals),
						List.copyOf(refusals), phaseId, String.join(" ", refusals));
			}
		}
		RunView run = start(version, phase, mode, null);
		if (dryRun != null) {
			this.rows.appliesRun(run.id(), dryRun);
			this.rows.log(run.id(), "INFO",
					(phase instanceof MappingPhase)
							? "Writes the map of dry run #" + dryRun + " with the decisions standing when it starts."
							: "Applies the change set of dry run #" + dryRun + ".",
					this.clock.instant());
		}
		return run;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<String> applyLocks(String plan, String phaseId) {
		PlanVersion version = this.plans.latest(plan);
		PhaseSpec phase = version.spec()
			.phase(phaseId)
			.orElseThrow(() -> new NotFoundException("run.phaseNotFound",
					"Plan " + plan + " has no phase " + phaseId + ".", plan, phaseId));
		List<String> reasons = new ArrayList<>();
		if (phase.kind() == PhaseSpec.Kind.PREFLIGHT || phase.kind() == PhaseSpec.Kind.VERIFY) {
			return List.of("A " + phase.kind().yamlName() + " phase has no apply: it only measures.");
		}
		if (!supports(phase, RunMode.APPLY)) {
			return List.of("Ferry cannot apply a " + phase.kind().yamlName() + " phase yet.");
		}
		try {
			earlierPhasesApplied(version, phase);
		}
		catch (RefusedException ex) {
			reasons.addAll(ex.getReasons());
		}
		RunView reviewed = null;
		try {
			reviewed = reviewedDryRun(version, phase);
		}
		catch (RefusedException ex) {
			reasons.addAll(ex.getReasons());
		}
		this.rows.lockHolder(plan)
			.ifPresent(active -> reasons
				.add("Run #" + active + " of plan " + plan + " is active; wait for it to end or cancel it."));
		for (ApplyCondition condition : this.conditions.orderedStream().toList()) {
			reasons.addAll(condition.refusals(version, phase, reviewed, false));
		}
		return List.copyOf(reasons);
	}

	/**
	 * Apply of a phase needs every earlier phase applied, except those that have no apply
	 * (preflight, verify).
	 */
	private void earlierPhasesApplied(PlanVersion version, PhaseSpec phase) {
		for (PhaseSpec earlier : version.spec().phases()) {
			if (earlier.id().equals(phase.id())) {
				return;
			}
			if (earlier.kind() == PhaseSpec.Kind.PREFLIGHT || earlier.kind() == PhaseSpec.Kind.VERIFY) {
				continue;
			}
			Optional<RunView> apply = this.rows.latest(version.plan(), earlier.id(), RunMode.APPLY);
			if (apply.isEmpty() || apply.get().state() != dev.ferry.run.RunState.SUCCEEDED) {
				String reason = "Phase " + earlier.id() + " comes first and is not applied"
						+ apply.map(a -> " (its latest apply, #" + a.id() + ", is " + a.state().code() + ")").orElse("")
						+ ".";
				throw new RefusedException("run.earlierNotApplied", reason, List.of(reason), reason);
			}
		}
	}

	/**
	 * The dry run an apply follows: the phase's latest, which must have succeeded on the
	 * plan's current version (what an older version's dry run showed may not be what the
	 * plan now says). An import replays its change set, which may be applied once. A
	 * mapping apply writes the map of that dry run with the decisions standing then, and
	 * a sql apply runs the statements that dry run checked; both may be applied again
	 * (after more decisions, after a rollback).
	 */
	private RunView reviewedDryRun(PlanVersion version, PhaseSpec phase) {
		Optional<RunView> latest = this.rows.latest(version.plan(), phase.id(), RunMode.DRY_RUN);
		boolean replays = phase instanceof dev.ferry.plan.spec.ImportPhase;
		String reason = null;
		if (latest.isEmpty()) {
			reason = "Phase " + phase.id() + " has no dry run: run one, review it, then apply.";
		}
		else if (latest.get().state() != dev.ferry.run.RunState.SUCCEEDED
				|| (replays && latest.get().changeSetSha256() == null)) {
			reason = "The latest dry run of phase " + phase.id() + ", #" + latest.get().id() + ", is "
					+ latest.get().state().code() + (replays ? ": only a succeeded dry run's change set can be applied."
							: ": only a succeeded dry run can be approved and applied.");
		}
		else if (latest.get().planVersion() != version.version()) {
			reason = "The plan has changed since dry run #" + latest.get().id() + " (version "
					+ latest.get().planVersion() + ", now " + version.version()
					+ "): run a new dry run and review it before applying.";
		}
		else if (replays) {
			Optional<Long> applied = this.rows.appliedBy(latest.get().id());
			if (applied.isPresent()) {
				reason = "Apply #" + applied.get() + " has already applied the change set of dry run #"
						+ latest.get().id() + ": run a new dry run to see what is left to change.";
			}
		}
		if (reason != null) {
			throw new RefusedException("run.noReviewedDryRun", reason, List.of(reason), reason);
		}
		return latest.get();
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
		this.scheduler.scheduleIfNotExists(this.runTask.instance(String.valueOf(id), id), now);
		return this.rows.find(id).orElseThrow();
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public RunView rollback(long applyRunId) {
		RunView apply = get(applyRunId);
		if (apply.mode() != RunMode.APPLY || apply.state() != dev.ferry.run.RunState.SUCCEEDED) {
			throw new RefusedException("run.rollbackNotApplied",
					"Run #" + applyRunId + " is not a succeeded apply, so there is nothing to roll back.", applyRunId);
		}
		Optional<RunView> later = this.rows.standingApplyAfter(apply.plan(), applyRunId);
		if (later.isPresent()) {
			// an apply wrote on top of what this one wrote: undoing this one first would
			// restore before-images under rows the later one changed
			throw new RefusedException("run.rollbackNewestFirst",
					"Apply #" + later.get().id() + " (phase " + later.get().phase() + ") came after apply #"
							+ applyRunId + " and still stands: roll back the newest apply first.",
					later.get().id(), later.get().phase(), applyRunId);
		}
		PlanVersion version = this.plans.version(apply.plan(), apply.planVersion());
		PhaseSpec phase = version.spec().phase(apply.phase()).orElseThrow();
		if (!supports(phase, RunMode.ROLLBACK)) {
			throw new RefusedException("run.notYet",
					"Ferry cannot rollback a " + phase.kind().yamlName() + " phase yet.", RunMode.ROLLBACK.code(),
					phase.kind().yamlName());
		}
		return start(version, phase, RunMode.ROLLBACK, applyRunId);
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

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<Measurement> measurements(long id) {
		return this.rows.measurements(id);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	public Measurement measureQuery(String connection, String subject, String query) {
		return this.preflight.measureQuery(connection, subject, query);
	}

	private static NotFoundException notFound(long id) {
		return new NotFoundException("run.notFound", "No run has the id " + id + ".", id);
	}

}
