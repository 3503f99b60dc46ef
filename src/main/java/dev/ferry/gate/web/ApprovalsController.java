package dev.ferry.gate.web;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.problem.FlashMessages;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.ReviewService;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanSummary;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.gate.SelfApprovalException;
import dev.ferry.problem.RefusedException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The approvals page {@code /approvals} (what waits for my approval, the newest approvals
 * of every plan, each with whether it still counts, and the requests for changes) and the
 * dashboard's Approve form.
 */
@Controller
class ApprovalsController {

	static final int PAGE_SIZE = 50;

	private final ApprovalService approvals;

	private final ReviewService reviews;

	private final PlanService plans;

	private final RunService runs;

	ApprovalsController(ApprovalService approvals, ReviewService reviews, PlanService plans, RunService runs) {
		this.approvals = approvals;
		this.reviews = reviews;
		this.plans = plans;
		this.runs = runs;
	}

	/**
	 * The inbox: first what waits for the signed-in user's approval (every phase whose
	 * latest dry run they may approve now, oldest first), then the approvals given, then
	 * the requests for changes.
	 */
	@GetMapping("/approvals")
	String list(@RequestParam(required = false) Long before, Model model) {
		var page = this.approvals.recent(before, PAGE_SIZE + 1);
		boolean more = page.size() > PAGE_SIZE;
		page = more ? page.subList(0, PAGE_SIZE) : page;
		model.addAttribute("waiting", (before == null) ? waiting() : List.of());
		model.addAttribute("approvals", page);
		model.addAttribute("next", more ? page.get(page.size() - 1).id() : null);
		model.addAttribute("rejected", (before == null) ? this.reviews.changesRequested(null, PAGE_SIZE) : List.of());
		return "gate/approvals";
	}

	private List<Waiting> waiting() {
		List<Waiting> waiting = new ArrayList<>();
		for (PlanSummary plan : this.plans.list()) {
			PlanVersion version = this.plans.latest(plan.plan());
			if (version.spec() == null) {
				continue;
			}
			for (PhaseSpec phase : version.spec().phases()) {
				if (phase.kind().writes()) {
					this.approvals.awaitingMyApproval(plan.plan(), phase.id())
						.ifPresent(runId -> waiting.add(new Waiting(plan.plan(), phase.id(), this.runs.get(runId))));
				}
			}
		}
		waiting.sort(java.util.Comparator.comparing(w -> w.run().requestedAt()));
		return waiting;
	}

	/** A dry run that waits for the user's approval. */
	record Waiting(String plan, String phase, RunView run) {

		/** The rows it would write, for an import: inserts, updates and deletes. */
		public long rows() {
			return this.run.counts().inserted() + this.run.counts().updated() + this.run.counts().deleted();
		}

	}

	@PostMapping("/plans/{plan}/phases/{phase}/approvals")
	String approve(@PathVariable String plan, @PathVariable String phase, @RequestParam long runId,
			@RequestParam(required = false) String comment, RedirectAttributes redirect) {
		try {
			this.approvals.approve(plan, phase, runId, comment);
			FlashMessages.success(redirect, "approval.flash.approved", String.valueOf(runId), phase);
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		catch (SelfApprovalException ex) {
			// the requester of the dry run sees why instead of an error page
			FlashMessages.error(redirect, "approval.flash.denied", ex.getMessage());
		}
		return "redirect:/plans/" + plan;
	}

}
