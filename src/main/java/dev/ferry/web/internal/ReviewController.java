package dev.ferry.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.Approval;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateService;
import dev.ferry.gate.ReviewNote;
import dev.ferry.gate.ReviewService;
import dev.ferry.gate.SelfApprovalException;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.mapping.MappingService;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.ApprovalsSpec;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.SqlPhase;
import dev.ferry.problem.FlashMessages;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The review page of a dry run, {@code /runs/{id}/review}: what it would change (the
 * change set's summary for an import, coverage for a mapping, every statement in full for
 * a sql phase, with whether the dry run executed them), the gates, who must approve and
 * who has, and the conversation — Approve, Request changes (a no with a reason, which
 * blocks approving and applying this dry run) and comments — in one place.
 */
@Controller
class ReviewController {

	private final RunService runs;

	private final PlanService plans;

	private final PhaseLifecycle lifecycle;

	private final ApprovalService approvals;

	private final ReviewService reviews;

	private final GateService gates;

	private final ChangeSetService changeSets;

	private final MappingService mappings;

	private final ConnectionService connections;

	ReviewController(RunService runs, PlanService plans, PhaseLifecycle lifecycle, ApprovalService approvals,
			ReviewService reviews, GateService gates, ChangeSetService changeSets, MappingService mappings,
			ConnectionService connections) {
		this.runs = runs;
		this.plans = plans;
		this.lifecycle = lifecycle;
		this.approvals = approvals;
		this.reviews = reviews;
		this.gates = gates;
		this.changeSets = changeSets;
		this.mappings = mappings;
		this.connections = connections;
	}

	@GetMapping("/runs/{id}/review")
	String review(@PathVariable long id, Model model) {
		RunView run = dryRun(id);
		PlanVersion version = this.plans.latest(run.plan());
		PhaseSpec phase = version.spec()
			.phase(run.phase())
			.orElseThrow(() -> new NotFoundException("run.phaseNotFound",
					"Plan " + run.plan() + " has no phase " + run.phase() + " any more.", run.plan(), run.phase()));
		PhaseStatus status = this.lifecycle.status(run.plan(), run.phase());
		boolean latest = status.dryRun() != null && status.dryRun() == id;
		List<Approval> given = this.approvals.ofPhase(run.plan(), run.phase(), 100)
			.stream()
			.filter(approval -> approval.runId() == id)
			.toList();
		List<ReviewNote> notes = this.reviews.ofRun(id);
		CurrentUser user = CurrentUser.get().orElseThrow();
		boolean approver = user.has(Role.OPERATOR) || user.has(Role.OWNER);
		model.addAttribute("run", run);
		model.addAttribute("version", version);
		model.addAttribute("phase", phase);
		model.addAttribute("status", status);
		model.addAttribute("latest", latest);
		model.addAttribute("newer",
				(!latest && status.dryRun() != null && status.dryRun() > id) ? status.dryRun() : null);
		model.addAttribute("needs",
				version.spec().approvals() != null ? version.spec().approvals() : ApprovalsSpec.DEFAULT);
		model.addAttribute("writes", phase.kind().writes());
		model.addAttribute("gates", phase.kind().writes() || phase.kind() == PhaseSpec.Kind.PREFLIGHT
				? this.gates.latest(run.plan(), run.phase()) : List.of());
		model.addAttribute("changeSet",
				(phase.kind() == PhaseSpec.Kind.IMPORT) ? this.changeSets.find(id).orElse(null) : null);
		model.addAttribute("coverage", (phase.kind() == PhaseSpec.Kind.MAPPING)
				? this.mappings.coverage(run.plan(), run.phase()).orElse(null) : null);
		if (phase instanceof SqlPhase sql) {
			ConnectionKind kind = this.connections.get(sql.connection()).kind();
			model.addAttribute("sqlConnection", sql.connection());
			model.addAttribute("parsedOnly", kind == ConnectionKind.H2);
			model.addAttribute("applySql", SqlHighlight.parts(sql.apply()));
			model.addAttribute("rollbackSql", (sql.rollback() != null) ? SqlHighlight.parts(sql.rollback()) : null);
			model.addAttribute("irreversible", sql.irreversible());
		}
		model.addAttribute("conversation", conversation(given, notes));
		model.addAttribute("approvedBy", given.stream().filter(Approval::valid).map(Approval::approvedBy).toList());
		model.addAttribute("canApprove", phase.kind().writes()
				&& this.approvals.awaitingMyApproval(run.plan(), run.phase()).filter(runId -> runId == id).isPresent());
		model.addAttribute("canRequestChanges", this.reviews.mayRequestChanges(run.plan(), run.phase(), id));
		model.addAttribute("applyLocks", (latest && phase.kind().writes())
				? this.lifecycle.refusals(run.plan(), run.phase(), Action.APPLY) : List.of());
		model.addAttribute("approveLocks", (latest && phase.kind().writes() && approver)
				? this.lifecycle.refusals(run.plan(), run.phase(), Action.APPROVE) : List.of());
		return "review/review";
	}

	@PostMapping("/runs/{id}/review/approve")
	String approve(@PathVariable long id, @RequestParam(required = false) String comment, RedirectAttributes redirect) {
		RunView run = dryRun(id);
		try {
			this.approvals.approve(run.plan(), run.phase(), id, comment);
			FlashMessages.success(redirect, "approval.flash.approved", String.valueOf(id), run.phase());
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		catch (SelfApprovalException ex) {
			FlashMessages.error(redirect, "approval.flash.denied", ex.getMessage());
		}
		return "redirect:/runs/" + id + "/review";
	}

	@PostMapping("/runs/{id}/review/request-changes")
	String requestChanges(@PathVariable long id, @RequestParam(required = false) String text,
			RedirectAttributes redirect) {
		RunView run = dryRun(id);
		try {
			this.reviews.requestChanges(run.plan(), run.phase(), id, text);
			FlashMessages.success(redirect, "review.flash.changesRequested", String.valueOf(id));
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		catch (InvalidException ex) {
			FlashMessages.error(redirect, "approval.flash.denied", ex.getMessage());
		}
		return "redirect:/runs/" + id + "/review";
	}

	@PostMapping("/runs/{id}/review/comment")
	String comment(@PathVariable long id, @RequestParam(required = false) String text, RedirectAttributes redirect) {
		RunView run = dryRun(id);
		try {
			this.reviews.comment(run.plan(), run.phase(), id, text);
			FlashMessages.success(redirect, "review.flash.commented", String.valueOf(id));
		}
		catch (InvalidException ex) {
			FlashMessages.error(redirect, "approval.flash.denied", ex.getMessage());
		}
		return "redirect:/runs/" + id + "/review#conversation";
	}

	private RunView dryRun(long id) {
		RunView run = this.runs.get(id);
		if (run.mode() != RunMode.DRY_RUN) {
			throw new NotFoundException("review.runNotFound",
					"Run #" + id + " is not a dry run: only dry runs are reviewed.", id);
		}
		return run;
	}

	/** Approvals and notes of the dry run in the order they were given. */
	static List<Entry> conversation(List<Approval> given, List<ReviewNote> notes) {
		List<Entry> entries = new ArrayList<>();
		for (Approval approval : given) {
			entries.add(new Entry("approved", approval.approvedBy(), approval.comment(), approval.approvedAt(),
					approval.voidReason(), approval.asOperator(), approval.asOwner()));
		}
		for (ReviewNote note : notes) {
			entries
				.add(new Entry(note.kind().code(), note.author(), note.body(), note.createdAt(), null, false, false));
		}
		entries.sort(Comparator.comparing(Entry::at));
		return entries;
	}

	/**
	 * One line of the conversation.
	 *
	 * @param kind approved, changes-requested or comment
	 * @param voidReason for an approval that no longer counts, why
	 */
	record Entry(String kind, String who, String text, Instant at, String voidReason, boolean asOperator,
			boolean asOwner) {
	}

	/** Whether a run's state means it ended well, for the page's badge. */
	static boolean succeeded(RunView run) {
		return run.state() == RunState.SUCCEEDED;
	}

}
