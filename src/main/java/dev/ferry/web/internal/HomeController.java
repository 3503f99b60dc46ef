package dev.ferry.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.MappingService;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanSummary;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The home page: what needs the signed-in user (by their roles: dry runs waiting for
 * their approval, review queues with open items, runs in progress, failed runs and gates,
 * applies that can still be rolled back), then every plan with a one-line status.
 */
@Controller
class HomeController {

	private final PlanService plans;

	private final RunService runs;

	private final GateService gates;

	private final MappingService mappings;

	private final ApprovalService approvals;

	private final PhaseLifecycle lifecycle;

	HomeController(PlanService plans, RunService runs, GateService gates, MappingService mappings,
			ApprovalService approvals, PhaseLifecycle lifecycle) {
		this.lifecycle = lifecycle;
		this.approvals = approvals;
		this.plans = plans;
		this.runs = runs;
		this.gates = gates;
		this.mappings = mappings;
	}

	@GetMapping("/")
	String home(Model model) {
		List<PlanSummary> all = this.plans.list();
		CurrentUser user = CurrentUser.get().orElse(null);
		List<Need> needs = new ArrayList<>();
		List<String[]> statuses = new ArrayList<>();
		for (PlanSummary summary : all) {
			statuses.add(needs(summary.plan(), user, needs));
		}
		model.addAttribute("plans", all);
		model.addAttribute("statuses", statuses);
		model.addAttribute("needs", needs);
		return "home/index";
	}

	/**
	 * Adds what the plan's phases need from the user; returns the plan's status: the last
	 * phase that has run and its state, or nulls before any run.
	 */
	private String[] needs(String plan, CurrentUser user, List<Need> needs) {
		PlanVersion version = this.plans.latest(plan);
		if (version.spec() == null) {
			return new String[] { null, null };
		}
		boolean approves = user != null && (user.has(Role.OPERATOR) || user.has(Role.OWNER));
		boolean operates = user != null && user.has(Role.OPERATOR);
		boolean reviews = user != null && user.has(Role.REVIEWER);
		String[] status = { null, null };
		for (PhaseSpec phase : version.spec().phases()) {
			PhaseStatus state = this.lifecycle.status(plan, phase.id());
			if (state.state() != PhaseState.NOT_RUN) {
				status = new String[] { phase.id(), state.code() };
			}
			if (state.activeRun() != null) {
				needs.add(new Need("running", plan, phase.id(), state.activeRun(), null, "/runs/" + state.activeRun()));
			}
			else if (state.state() == PhaseState.FAILED && state.lastRun() != null) {
				needs.add(new Need("failed", plan, phase.id(), state.lastRun(), state.detail(),
						"/runs/" + state.lastRun()));
			}
			if (approves) {
				this.approvals.awaitingMyApproval(plan, phase.id())
					.ifPresent(id -> needs
						.add(new Need("approve", plan, phase.id(), id, null, "/runs/" + id + "/review")));
			}
			if (reviews && phase.kind() == PhaseSpec.Kind.MAPPING
					&& this.lifecycle.refusals(plan, phase.id(), Action.DECIDE).isEmpty()) {
				Optional<Coverage> coverage = this.mappings.coverage(plan, phase.id());
				if (coverage.isPresent() && coverage.get().open() > 0) {
					needs.add(new Need("review", plan, phase.id(), coverage.get().open(), null,
							"/plans/" + plan + "/phases/" + phase.id() + "/queue"));
				}
			}
			for (GateResult gate : this.gates.latest(plan, phase.id())) {
				if (gate.state() == GateResult.State.FAIL) {
					needs.add(new Need("gate", plan, phase.id(), null,
							gate.id() + ": " + (gate.value() != null ? gate.value() : gate.detail()),
							"/plans/" + plan + "#gates"));
				}
			}
		}
		// a plan nobody has started: its first phase's dry run is the next step
		if (operates && status[0] == null && !version.spec().phases().isEmpty()) {
			PhaseSpec first = version.spec().phases().get(0);
			if (this.lifecycle.refusals(plan, first.id(), Action.DRY_RUN).isEmpty()) {
				needs.add(new Need("start", plan, first.id(), null, null, "/plans/" + plan));
			}
		}
		// only the newest apply of a plan can be rolled back, and only when nothing runs
		if (operates) {
			this.lifecycle.newestStandingApply(plan)
				.filter(newest -> this.lifecycle.refusals(plan, newest.phase(), Action.ROLLBACK).isEmpty())
				.ifPresent(newest -> needs.add(new Need("rollback", plan, newest.phase(), newest.applyRun(), null,
						"/runs/" + newest.applyRun())));
		}
		return status;
	}

	/**
	 * Something that needs the user.
	 *
	 * @param kind {@code approve}, {@code review}, {@code running}, {@code failed},
	 * {@code gate}, {@code rollback} or {@code start}
	 * @param number the run, or the open items of a queue, or null
	 * @param detail more words (the error, the gate's value), or null
	 * @param link where to act on it
	 */
	record Need(String kind, String plan, String phase, Long number, String detail, String link) {
	}

}
