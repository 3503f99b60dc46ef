package dev.ferry.plan.web;

import java.nio.charset.StandardCharsets;

import dev.ferry.problem.FlashMessages;
import dev.ferry.plan.InvalidPlanException;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.SavedPlan;
import dev.ferry.plan.spec.PlanCheck;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The plans pages: list, overview, editor, history and version diff. */
@Controller
@RequestMapping("/plans")
class PlansController {

	static final String NEW_PLAN = """
			plan: my-plan
			title: A short title shown in the console
			source: cultivars
			target: app

			phases:
			  - id: preflight
			    kind: preflight
			    count: [source.cultivars]

			gates: []
			""";

	private final PlanService plans;

	PlansController(PlanService plans) {
		this.plans = plans;
	}

	@ModelAttribute("canEdit")
	boolean canEdit() {
		return CurrentUser.get().map(user -> user.has(Role.ADMIN)).orElse(false);
	}

	@GetMapping
	String list(Model model) {
		model.addAttribute("plans", this.plans.list());
		return "plan/list";
	}

	@GetMapping("/new")
	@PreAuthorize("hasRole('ADMIN')")
	String newPlan(Model model) {
		model.addAttribute("editor", PlanEditor.of(NEW_PLAN));
		model.addAttribute("planId", null);
		return "plan/editor";
	}

	@PostMapping
	String createPlan(@RequestParam String yaml, Model model, RedirectAttributes redirect) {
		return save(null, yaml, model, redirect);
	}

	@GetMapping("/{plan}/edit")
	@PreAuthorize("hasRole('ADMIN')")
	String edit(@PathVariable String plan, Model model) {
		PlanVersion latest = this.plans.latest(plan);
		model.addAttribute("editor", PlanEditor.of(latest.yaml()));
		model.addAttribute("planId", plan);
		model.addAttribute("version", latest);
		return "plan/editor";
	}

	@PostMapping("/{plan}/edit")
	String update(@PathVariable String plan, @RequestParam String yaml, Model model, RedirectAttributes redirect) {
		return save(plan, yaml, model, redirect);
	}

	/** Validates the editor's text without saving; answers the problems fragment. */
	@PostMapping("/validate")
	@HxRequest
	String validate(@RequestParam String yaml, Model model) {
		PlanCheck check = this.plans.check(yaml.getBytes(StandardCharsets.UTF_8));
		model.addAttribute("editor", PlanEditor.of(yaml.replace("\r\n", "\n"), check));
		model.addAttribute("validated", true);
		// what saving this text would void, before anyone presses Save
		model.addAttribute("effects", this.plans.effects(yaml.getBytes(StandardCharsets.UTF_8)));
		return "plan/editor :: problems";
	}

	@GetMapping("/{plan}/versions")
	String history(@PathVariable String plan, Model model) {
		model.addAttribute("plan", plan);
		model.addAttribute("versions", this.plans.history(plan));
		return "plan/history";
	}

	@GetMapping("/{plan}/versions/{version}")
	String showVersion(@PathVariable String plan, @PathVariable int version, Model model) {
		model.addAttribute("version", this.plans.version(plan, version));
		return "plan/version";
	}

	@GetMapping("/{plan}/diff")
	String diff(@PathVariable String plan, @RequestParam int from, @RequestParam int to, Model model) {
		model.addAttribute("plan", plan);
		model.addAttribute("from", from);
		model.addAttribute("to", to);
		model.addAttribute("lines", this.plans.diff(plan, from, to));
		model.addAttribute("versions", this.plans.history(plan));
		return "plan/diff";
	}

	private String save(String plan, String yaml, Model model, RedirectAttributes redirect) {
		try {
			SavedPlan saved = this.plans.save(plan, yaml.getBytes(StandardCharsets.UTF_8), PlanOrigin.CONSOLE);
			boolean voids = saved.created() && saved.effects().changesPhases();
			FlashMessages.success(redirect,
					voids ? "plans.savedVoids" : (saved.created() ? "plans.saved" : "plans.unchanged"), saved.plan(),
					saved.version(), saved.effects().sentence());
			return "redirect:/plans/" + saved.plan();
		}
		catch (InvalidPlanException ex) {
			model.addAttribute("editor", PlanEditor.of(yaml.replace("\r\n", "\n"), ex.getCheck()));
			model.addAttribute("planId", plan);
			if (plan != null) {
				model.addAttribute("version", this.plans.latest(plan));
			}
			return "plan/editor";
		}
	}

}
