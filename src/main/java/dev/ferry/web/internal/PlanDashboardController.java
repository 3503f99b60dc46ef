package dev.ferry.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.gate.Approval;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.gate.Verification;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.MappingService;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.Measurement;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
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

	private final RowCounts rowCounts;

	private final MappingService mappings;

	private final GateService gates;

	private final ApprovalService approvals;

	PlanDashboardController(PlanService plans, RunService runs, RowCounts rowCounts, MappingService mappings,
			GateService gates, ApprovalService approvals) {
		this.approvals = approvals;
		this.gates = gates;
		this.mappings = mappings;
		this.plans = plans;
		this.runs = runs;
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
		for (PhaseSpec phase : version.spec().phases()) {
			Optional<RunView> dryRun = this.runs.latest(plan, phase.id(), RunMode.DRY_RUN);
			Optional<RunView> apply = this.runs.latest(plan, phase.id(), RunMode.APPLY);
			Coverage coverage = (phase.kind() == PhaseSpec.Kind.MAPPING)
					? this.mappings.coverage(plan, phase.id()).orElse(null) : null;
			Verification verification = (phase.kind() == PhaseSpec.Kind.VERIFY)
					? this.gates.verification(plan, phase.id()).orElse(null) : null;
			String state = PhaseStates.of(dryRun, apply, verification);
			boolean applies = this.runs.supports(phase, RunMode.APPLY);
			List<Approval> approved = (applies && dryRun.isPresent()) ? this.approvals.ofPhase(plan, phase.id(), 20)
				.stream()
				.filter(a -> a.runId() == dryRun.get().id())
				.toList() : List.of();
			boolean canApprove = applies && this.approvals.awaitingMyApproval(plan, phase.id()).isPresent();
			cards.add(new PhaseCard(phase, dryRun.orElse(null), apply.orElse(null), state,
					this.runs.supports(phase, RunMode.DRY_RUN), this.runs.supports(phase, RunMode.APPLY),
					this.runs.supports(phase, RunMode.ROLLBACK), coverage, this.gates.latest(plan, phase.id()),
					this.runs.supports(phase, RunMode.APPLY) ? this.runs.applyLocks(plan, phase.id()) : List.of(),
					verification, approved, canApprove));
			if (phase.kind() == PhaseSpec.Kind.PREFLIGHT && preflight == null
					&& dryRun.filter(run -> run.state() == RunState.SUCCEEDED).isPresent()) {
				preflight = dryRun.get();
			}
		}
		List<Measurement> measurements = preflight == null ? List.of() : this.runs.measurements(preflight.id());
		model.addAttribute("version", version);
		model.addAttribute("spec", version.spec());
		model.addAttribute("cards", cards);
		model.addAttribute("preflight", preflight);
		model.addAttribute("measurements", measurements);
		model.addAttribute("rowCounts", this.rowCounts.lines(version, measurements));
		model.addAttribute("active", this.runs.active(plan));
		model.addAttribute("canOperate", CurrentUser.get().map(user -> user.has(Role.OPERATOR)).orElse(false));
		model.addAttribute("canEdit", CurrentUser.get().map(user -> user.has(Role.ADMIN)).orElse(false));
	}

	/** One card of the pipeline. */
	record PhaseCard(PhaseSpec phase, RunView dryRun, RunView apply, String state, boolean canDryRun, boolean canApply,
			boolean canRollback, Coverage coverage, List<GateResult> gates, List<String> locks,
			Verification verification, List<Approval> approvals, boolean canApprove) {

		public boolean mapping() {
			return this.phase.kind() == PhaseSpec.Kind.MAPPING;
		}

		public boolean irreversible() {
			return this.phase instanceof dev.ferry.plan.spec.SqlPhase sql && sql.irreversible();
		}

		public boolean rollbackOffered() {
			return this.canRollback && this.apply != null && this.apply.state() == RunState.SUCCEEDED;
		}

	}

}
