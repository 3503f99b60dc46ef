package dev.ferry.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
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

	HomeController(PlanService plans, RunService runs, GateService gates, MappingService mappings,
			ApprovalService approvals) {
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
		boolean operates = user != null && (user.has(Role.OPERATOR) || user.has(Role.OWNER));
		boolean reviews = user != null && user.has(Role.REVIEWER);
		String[] status = { null, null };
		for (PhaseSpec phase : version.spec().phases()) {
			Optional<RunView> dryRun = this.runs.latest(plan, phase.id(), RunMode.DRY_RUN);
			Optional<RunView> apply = this.runs.latest(plan, phase.id(), RunMode.APPLY);
			String state = PhaseStates.of(dryRun, apply);
			if (!state.equals("not-run")) {
				status = new String[] { phase.id(), state };
			}
			for (RunView run : List.of(dryRun, apply).stream().flatMap(Optional::stream).toList()) {
				if (run.state().active()) {
					needs.add(new Need("running", plan, phase.id(), run.id(), null, "/runs/" + run.id()));
				}
				else if (run.state() == RunState.FAILED) {
					needs.add(new Need("failed", plan, phase.id(), run.id(), run.error(), "/runs/" + run.id()));
				}
			}
			if (operates) {
				this.approvals.awaitingMyApproval(plan, phase.id())
					.ifPresent(id -> needs.add(new Need("approve", plan, phase.id(), id, null, "/plans/" + plan)));
			}
			if (reviews && phase.kind() == PhaseSpec.Kind.MAPPING) {
				Optional<Coverage> coverage = this.mappings.coverage(plan, phase.id());
				if (coverage.isPresent() && coverage.get().open() > 0) {
					needs.add(new Need("review", plan, phase.id(), coverage.get().open(), null,
							"/plans/" + plan + "/phases/" + phase.id() + "/queue"));
				}
			}
			for (GateResult gate : this.gates.latest(plan, phase.id())) {
				if (gate.state() == GateResult.State.FAIL) {
					needs.add(new Need("gate", plan, phase.id(), null, gate.id() + ": " + gate.value(),
							"/plans/" + plan + "#gates"));
				}
			}
			if (operates && apply.isPresent() && apply.get().state() == RunState.SUCCEEDED
					&& this.runs.supports(phase, RunMode.ROLLBACK)) {
				needs.add(new Need("rollback", plan, phase.id(), apply.get().id(), null, "/runs/" + apply.get().id()));
			}
		}
		return status;
	}

	/**
	 * Something that needs the user.
	 *
	 * @param kind {@code approve}, {@code review}, {@code running}, {@code failed},
	 * {@code gate} or {@code rollback}
	 * @param number the run, or the open items of a queue, or null
	 * @param detail more words (the error, the gate's value), or null
	 * @param link where to act on it
	 */
	record Need(String kind, String plan, String phase, Long number, String detail, String link) {
	}

}
