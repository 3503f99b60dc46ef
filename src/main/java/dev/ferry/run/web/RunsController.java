package dev.ferry.run.web;

import java.time.Clock;
import java.util.List;

import dev.ferry.problem.FlashMessages;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.run.RunDetails;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The run page with its live progress, and starting and cancelling runs from the console.
 */
@Controller
class RunsController {

	static final int PAGE_SIZE = 25;

	private final RunService runs;

	private final Clock clock;

	private final PhaseLifecycle lifecycle;

	private final List<RunDetails> details;

	RunsController(RunService runs, Clock clock, List<RunDetails> details, PhaseLifecycle lifecycle) {
		this.lifecycle = lifecycle;
		this.runs = runs;
		this.clock = clock;
		this.details = details;
	}

	@GetMapping("/runs/{id}")
	String show(@PathVariable long id, Model model) {
		fill(id, model);
		return "run/show";
	}

	/** The self-polling progress fragment: it stops asking once the run has ended. */
	@GetMapping("/runs/{id}")
	@HxRequest
	String progress(@PathVariable long id, Model model) {
		fill(id, model);
		return "run/show :: live";
	}

	@GetMapping("/plans/{plan}/runs")
	String list(@PathVariable String plan, @RequestParam(required = false) Long before, Model model) {
		fillList(plan, before, model);
		return "run/list";
	}

	@GetMapping("/plans/{plan}/runs")
	@HxRequest
	String listFragment(@PathVariable String plan, @RequestParam(required = false) Long before, Model model) {
		fillList(plan, before, model);
		return "run/list :: list";
	}

	private void fillList(String plan, Long before, Model model) {
		java.util.List<RunView> page = this.runs.ofPlan(plan, before, PAGE_SIZE + 1);
		model.addAttribute("plan", plan);
		model.addAttribute("before", before);
		model.addAttribute("runs", page.size() > PAGE_SIZE ? page.subList(0, PAGE_SIZE) : page);
		model.addAttribute("next", page.size() > PAGE_SIZE ? page.get(PAGE_SIZE - 1).id() : null);
	}

	@PostMapping("/plans/{plan}/phases/{phase}/runs")
	String request(@PathVariable String plan, @PathVariable String phase,
			@RequestParam(defaultValue = "dry-run") String mode,
			@RequestParam(defaultValue = "false") boolean confirmIrreversible, RedirectAttributes redirect) {
		try {
			RunView run = this.runs.request(plan, phase, RunMode.of(mode), confirmIrreversible);
			return "redirect:/runs/" + run.id();
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
			return "redirect:/plans/" + plan;
		}
	}

	@PostMapping("/runs/{id}/rollback")
	String rollback(@PathVariable long id, @RequestParam(required = false) String confirmPlan,
			RedirectAttributes redirect) {
		try {
			return "redirect:/runs/" + this.runs.rollback(id, confirmPlan).id();
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
			return "redirect:/runs/" + id;
		}
	}

	@PostMapping("/runs/{id}/cancel")
	String cancel(@PathVariable long id, RedirectAttributes redirect) {
		try {
			this.runs.cancel(id);
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		return "redirect:/runs/" + id;
	}

	private void fill(long id, Model model) {
		RunView run = this.runs.get(id);
		model.addAttribute("run", run);
		model.addAttribute("rate", run.rate(this.clock.instant()));
		model.addAttribute("eta", run.etaSeconds(this.clock.instant()));
		model.addAttribute("log", this.runs.log(id));
		model.addAttribute("canOperate", CurrentUser.get().map(user -> user.has(Role.OPERATOR)).orElse(false));
		// an apply's rollback is offered here only while it stands and is the plan's
		// newest
		boolean standing = false;
		List<String> rollbackLocks = List.of();
		String note = null;
		if (run.mode() == RunMode.APPLY && !run.state().active()) {
			PhaseStatus status = this.lifecycle.status(run.plan(), run.phase());
			standing = status.applyRun() != null && status.applyRun() == run.id();
			if (standing) {
				rollbackLocks = this.lifecycle.refusals(run.plan(), run.phase(), Action.ROLLBACK);
				note = (run.state() == dev.ferry.run.RunState.SUCCEEDED)
						? "Apply #" + run.id() + " stands: phase " + run.phase() + " is " + status.code() + "."
						: "The batches apply #" + run.id() + " committed before it ended stand in the target.";
			}
			else if (run.state() == dev.ferry.run.RunState.SUCCEEDED) {
				note = "Apply #" + run.id() + " no longer stands: it was rolled back.";
			}
		}
		model.addAttribute("standing", standing);
		model.addAttribute("rollbackNamesPlan", standing && RunService.rollbackNamesPlan(run));
		model.addAttribute("rowsWritten", RunService.rowsWritten(run));
		model.addAttribute("rollbackLocks", rollbackLocks);
		model.addAttribute("lifecycleNote", note);
		// the phase kind's own part of the page
		this.details.forEach(details -> model.addAllAttributes(details.of(run)));
	}

}
