package dev.ferry.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.gate.Approval;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.gate.Verification;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.MappingService;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.preflight.Measurement;
import dev.ferry.preflight.PreflightService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
import dev.ferry.window.ScheduledApply;
import dev.ferry.window.WindowService;
import dev.ferry.window.WindowView;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The plan dashboard, composed from the plan, run and changeset modules: the phase
 * pipeline with each phase's last dry run and apply, the row counts, the preflight
 * measurements, and a live refresh while a run of the plan is active.
 */
@Controller
class PlanDashboardController {

	private final PlanService plans;

	private final RunService runs;

	private final PreflightService preflights;

	private final RowCounts rowCounts;

	private final MappingService mappings;

	private final GateService gates;

	private final ApprovalService approvals;

	private final PhaseLifecycle lifecycle;

	private final WindowService windows;

	PlanDashboardController(PlanService plans, RunService runs, PreflightService preflights, RowCounts rowCounts,
			MappingService mappings, GateService gates, ApprovalService approvals, PhaseLifecycle lifecycle,
			WindowService windows) {
		this.windows = windows;
		this.lifecycle = lifecycle;
		this.approvals = approvals;
		this.gates = gates;
		this.mappings = mappings;
		this.plans = plans;
		this.runs = runs;
		this.preflights = preflights;
		this.rowCounts = rowCounts;
	}

	@GetMapping("/plans/{plan}")
	String dashboard(@PathVariable String plan, Model model) {
		fill(plan, model);
		return "plan/dashboard";
	}

	@GetMapping("/plans/{plan}")
	@HxRequest
	String live(@PathVariable String plan, Model model) {
		fill(plan, model);
		return "plan/dashboard :: live";
	}

	private void fill(String plan, Model model) {
		PlanVersion version = this.plans.latest(plan);
		List<PhaseCard> cards = new ArrayList<>();
		RunView preflight = null;
		java.time.Instant changedAt = null;
		boolean operates = CurrentUser.get().map(user -> user.has(Role.OPERATOR)).orElse(false);
		Optional<WindowView> window = this.windows.window(plan);
		// shown (and cancellable) also after a plan edit took the window away
		List<ScheduledApply> waiting = this.windows.scheduled(plan, 50)
			.stream()
			.filter(ScheduledApply::waiting)
			.toList();
		for (PhaseSpec phase : version.spec().phases()) {
			PhaseStatus status = this.lifecycle.status(plan, phase.id());
			if (status.changedAt() != null && (changedAt == null || status.changedAt().isAfter(changedAt))) {
				changedAt = status.changedAt();
			}
			Optional<RunView> dryRun = this.runs.latest(plan, phase.id(), RunMode.DRY_RUN);
			Optional<RunView> apply = Optional.ofNullable(status.applyRun())
				.map(this.runs::get)
				.or(() -> this.runs.latest(plan, phase.id(), RunMode.APPLY));
			Coverage coverage = (phase.kind() == PhaseSpec.Kind.MAPPING)
					? this.mappings.coverage(plan, phase.id()).orElse(null) : null;
			// a verdict counts only while the apply it is about stands
			Verification verification = (phase.kind() == PhaseSpec.Kind.VERIFY && status.verifiedApply() != null)
					? this.gates.verification(plan, phase.id())
						.filter(v -> v.afterApply() == status.verifiedApply())
						.orElse(null)
					: null;
			boolean applies = phase.kind().writes();
			List<Approval> approved = (applies && status.dryRun() != null)
					? this.approvals.ofPhase(plan, phase.id(), 20)
						.stream()
						.filter(a -> a.runId() == status.dryRun())
						.toList()
					: List.of();
			boolean canApprove = applies && this.approvals.awaitingMyApproval(plan, phase.id()).isPresent();
			boolean dryRuns = phase.kind() != PhaseSpec.Kind.VERIFY && this.runs.supports(phase, RunMode.DRY_RUN);
			List<String> dryRunLocks = dryRuns ? this.lifecycle.refusals(plan, phase.id(), Action.DRY_RUN) : List.of();
			// Apply is offered until an apply runs or stands; Rollback while one stands
			boolean applyOffered = applies && !status.applyStands() && status.state() != PhaseState.APPLYING
					&& status.state() != PhaseState.ROLLING_BACK;
			List<String> applyLocks = applyOffered ? this.lifecycle.refusals(plan, phase.id(), Action.APPLY)
					: List.of();
			List<String> rollbackLocks = status.applyStands()
					? this.lifecycle.refusals(plan, phase.id(), Action.ROLLBACK) : List.of();
			// offered only where the window alone holds the apply back (scheduleLocks
			// says so)
			ScheduledApply scheduled = waiting.stream()
				.filter(candidate -> candidate.phase().equals(phase.id()))
				.findFirst()
				.orElse(null);
			boolean scheduleOffered = operates && applyOffered && scheduled == null && window.isPresent()
					&& !window.get().open() && this.windows.scheduleLocks(plan, phase.id()).isEmpty();
			cards.add(new PhaseCard(phase, status, dryRun.orElse(null), apply.orElse(null), dryRuns, dryRunLocks,
					applyOffered, applyLocks, status.applyStands(), rollbackLocks, coverage,
					this.gates.latest(plan, phase.id()), verification, approved, canApprove, scheduleOffered,
					scheduled));
			if (phase.kind() == PhaseSpec.Kind.PREFLIGHT && preflight == null
					&& dryRun.filter(run -> run.state() == RunState.SUCCEEDED).isPresent()) {
				preflight = dryRun.get();
			}
		}
		List<Measurement> measurements = preflight == null ? List.of() : this.preflights.measurements(preflight.id());
		model.addAttribute("version", version);
		model.addAttribute("spec", version.spec());
		model.addAttribute("cards", cards);
		model.addAttribute("preflight", preflight);
		model.addAttribute("measurements", measurements);
		model.addAttribute("rowCounts", this.rowCounts.lines(version, measurements, changedAt));
		model.addAttribute("active", this.runs.active(plan));
		model.addAttribute("window", window.orElse(null));
		model.addAttribute("canOperate", operates);
		model.addAttribute("canEdit", CurrentUser.get().map(user -> user.has(Role.ADMIN)).orElse(false));
	}

	/**
	 * One card of the pipeline: the phase's lifecycle state and, for each action, whether
	 * it is offered and why it is refused now (the lifecycle's own reasons).
	 */
	record PhaseCard(PhaseSpec phase, PhaseStatus status, RunView dryRun, RunView apply, boolean dryRuns,
			List<String> dryRunLocks, boolean applyOffered, List<String> locks, boolean rollbackOffered,
			List<String> rollbackLocks, Coverage coverage, List<GateResult> gates, Verification verification,
			List<Approval> approvals, boolean canApprove, boolean scheduleOffered, ScheduledApply scheduled) {

		public String state() {
			return this.status.code();
		}

		public boolean mapping() {
			return this.phase.kind() == PhaseSpec.Kind.MAPPING;
		}

		public boolean irreversible() {
			return this.phase instanceof dev.ferry.plan.spec.SqlPhase sql && sql.irreversible();
		}

		/**
		 * Whether something failed (a run, an error-level gate): then what holds the
		 * phase back is shown as a failure; otherwise its reasons are steps not taken
		 * yet, shown in a neutral colour.
		 */
		public boolean failing() {
			return this.status.state() == dev.ferry.lifecycle.PhaseState.FAILED
					|| this.gates.stream().anyMatch(gate -> gate.state() == GateResult.State.FAIL);
		}

		/** Whether the Rollback button may be pressed now. */
		public boolean canRollback() {
			return this.rollbackOffered && this.rollbackLocks.isEmpty();
		}

		/** Whether the Rollback asks for the plan id: the apply wrote many rows. */
		public boolean rollbackNamesPlan() {
			return this.apply != null && RunService.rollbackNamesPlan(this.apply);
		}

		/** The rows the apply wrote (inserted, updated, deleted). */
		public long rowsWritten() {
			return this.apply == null ? 0 : RunService.rowsWritten(this.apply);
		}

	}

}
