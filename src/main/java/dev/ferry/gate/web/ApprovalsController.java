package dev.ferry.gate.web;

import dev.ferry.problem.FlashMessages;
import dev.ferry.gate.ApprovalService;
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
 * The approvals page {@code /approvals} (the newest approvals of every plan, each with
 * whether it still counts) and the dashboard's Approve form.
 */
@Controller
class ApprovalsController {

	static final int PAGE_SIZE = 50;

	private final ApprovalService approvals;

	ApprovalsController(ApprovalService approvals) {
		this.approvals = approvals;
	}

	@GetMapping("/approvals")
	String list(@RequestParam(required = false) Long before, Model model) {
		var page = this.approvals.recent(before, PAGE_SIZE + 1);
		boolean more = page.size() > PAGE_SIZE;
		page = more ? page.subList(0, PAGE_SIZE) : page;
		model.addAttribute("approvals", page);
		model.addAttribute("next", more ? page.get(page.size() - 1).id() : null);
		return "gate/approvals";
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
