package dev.ferry.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.gate.Approval;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/plans/{plan}}: the latest version of a plan with where each phase
 * stands, from the plan and run modules (the same state words as the dashboard).
 */
@Tag(name = "Plans", description = "Plans: versions, phases and their state")
@RestController
class PlanStatusApiController {

	private final PlanService plans;

	private final RunService runs;

	private final GateService gates;

	private final ApprovalService approvals;

	private final PhaseLifecycle lifecycle;

	PlanStatusApiController(PlanService plans, RunService runs, GateService gates, ApprovalService approvals,
			PhaseLifecycle lifecycle) {
		this.lifecycle = lifecycle;
		this.approvals = approvals;
		this.gates = gates;
		this.plans = plans;
		this.runs = runs;
	}

	@Operation(
			summary = "The plan's current version with each phase's state, last runs, gates, approvals, canApply and lockedReasons (VIEWER)")
	@GetMapping("/api/v1/plans/{plan}")
	PlanJson get(@PathVariable String plan) {
		PlanVersion latest = this.plans.latest(plan);
		List<PhaseJson> phases = new ArrayList<>();
		for (PhaseSpec phase : latest.spec().phases()) {
			PhaseStatus status = this.lifecycle.status(plan, phase.id());
			Optional<RunView> dryRun = this.runs.latest(plan, phase.id(), RunMode.DRY_RUN);
			Optional<RunView> apply = Optional.ofNullable(status.applyRun())
				.map(this.runs::get)
				.or(() -> this.runs.latest(plan, phase.id(), RunMode.APPLY));
			List<String> locked = this.lifecycle.refusals(plan, phase.id(), Action.APPLY);
			boolean applies = phase.kind().writes();
			List<String> dryRunRefusals = this.lifecycle.refusals(plan, phase.id(), Action.DRY_RUN);
			List<String> rollbackRefusals = this.lifecycle.refusals(plan, phase.id(), Action.ROLLBACK);
			phases.add(new PhaseJson(phase.id(), phase.kind().yamlName(), status.code(),
					status.failedStep() == null ? null : status.failedStep().code(), status.detail(),
					status.definedIn(), dryRun.map(RunJson::of).orElse(null), apply.map(RunJson::of).orElse(null),
					status.applyRun(), this.gates.latest(plan, phase.id()).stream().map(GateJson::of).toList(),
					(applies && status.dryRun() != null) ? this.approvals.ofPhase(plan, phase.id(), 20)
						.stream()
						.filter(approval -> approval.runId() == status.dryRun())
						.map(ApprovalJson::of)
						.toList() : List.of(),
					locked.isEmpty(), List.copyOf(locked),
					new ActionsJson(ActionJson.of(dryRunRefusals),
							ActionJson.of(this.lifecycle.refusals(plan, phase.id(), Action.APPROVE)),
							ActionJson.of(locked), ActionJson.of(rollbackRefusals)),
					status.applyRun() != null && apply.filter(RunService::rollbackNamesPlan).isPresent()));
		}
		return new PlanJson(latest.plan(), latest.title(), latest.version(), latest.sha256(), phases);
	}

	record PlanJson(String plan, String title, int version, String sha256, List<PhaseJson> phases) {
	}

	/**
	 * A phase: its lifecycle state, its gates' latest evaluations, why an apply cannot
	 * start now, and for each action whether the server would accept it now and why not;
	 * {@code rollbackNeedsConfirmPlan}: the apply that stands wrote more than 10,000
	 * rows, so a rollback request names the plan.
	 */
	record PhaseJson(String id, String kind, String state, String failedStep, String detail, int definedInVersion,
			RunJson lastDryRun, RunJson lastApply, Long standingApply, List<GateJson> gates,
			List<ApprovalJson> approvals, boolean canApply, List<String> lockedReasons, ActionsJson actions,
			boolean rollbackNeedsConfirmPlan) {
	}

	/** Each action of a phase, as the lifecycle would judge a request now. */
	record ActionsJson(ActionJson dryRun, ActionJson approve, ActionJson apply, ActionJson rollback) {
	}

	/** Whether an action would be accepted now, and if not, why. */
	record ActionJson(boolean allowed, List<String> reasons) {

		static ActionJson of(List<String> reasons) {
			return new ActionJson(reasons.isEmpty(), List.copyOf(reasons));
		}

	}

	/** An approval of the phase's latest dry run, and whether it still counts. */
	record ApprovalJson(String approvedBy, boolean asOperator, boolean asOwner, String reviewedSha256,
			Instant approvedAt, boolean valid, String voidReason) {

		static ApprovalJson of(Approval approval) {
			return new ApprovalJson(approval.approvedBy(), approval.asOperator(), approval.asOwner(),
					approval.reviewedSha256(), approval.approvedAt(), approval.valid(), approval.voidReason());
		}

	}

	/** A gate's latest evaluation, as {@code GET .../gates} gives it. */
	record GateJson(String id, String check, String level, String state, String value, String threshold, Boolean passed,
			Long measuredOnRun, Instant measuredAt) {

		static GateJson of(GateResult gate) {
			return new GateJson(gate.id(), gate.check(), gate.level().yamlName(), gate.state().code(), gate.value(),
					gate.threshold(), gate.passed(), gate.measuredOnRun(), gate.measuredAt());
		}

	}

	record RunJson(long id, String state, Instant finishedAt, String changeSetSha256) {

		static RunJson of(RunView run) {
			return new RunJson(run.id(), run.state().code(), run.finishedAt(), run.changeSetSha256());
		}

	}

}
