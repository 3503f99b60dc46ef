package dev.ferry.gate.web;

import java.time.Instant;
import java.util.List;

import dev.ferry.gate.Approval;
import dev.ferry.gate.ApprovalService;
import dev.ferry.problem.InvalidException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/plans/{plan}/phases/{phase}/approvals} approves a dry run (201; 403
 * for its requester; 409 with reasons otherwise); {@code GET} lists the phase's
 * approvals, each with whether it still counts.
 */
@Tag(name = "Approvals", description = "Approvals of dry runs by someone other than their requester")
@RestController
class ApprovalsApiController {

	static final int MAX_LIMIT = 500;

	private final ApprovalService approvals;

	ApprovalsApiController(ApprovalService approvals) {
		this.approvals = approvals;
	}

	@Operation(
			summary = "Approve the phase's latest dry run (OPERATOR or OWNER): 201; 403 for its requester; 409 with reasons when it is not the latest, a gate fails or it is already approved")
	@PostMapping("/api/v1/plans/{plan}/phases/{phase}/approvals")
	@ResponseStatus(HttpStatus.CREATED)
	ApprovalJson approve(@PathVariable String plan, @PathVariable String phase, @RequestBody ApprovalRequest request) {
		if (request == null || request.runId() == null) {
			throw new InvalidException("runId", "approval.runId", "Say which dry run you approve: {\"runId\": ...}.");
		}
		return ApprovalJson.of(this.approvals.approve(plan, phase, request.runId(), request.comment()));
	}

	@Operation(summary = "The phase's approvals, newest first, each with whether it still counts and why not (VIEWER)")
	@GetMapping("/api/v1/plans/{plan}/phases/{phase}/approvals")
	Page list(@PathVariable String plan, @PathVariable String phase, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(required = false) Long after) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new InvalidException("limit", "changes.badLimit",
					"limit must be between 1 and " + MAX_LIMIT + ", not " + limit + ".", limit, MAX_LIMIT);
		}
		List<Approval> page = this.approvals.ofPhase(plan, phase, after, limit + 1);
		List<ApprovalJson> items = page.stream().limit(limit).map(ApprovalJson::of).toList();
		return new Page(items, page.size() > limit ? String.valueOf(items.get(items.size() - 1).id()) : null);
	}

	/**
	 * A page of approvals, newest first; {@code next} is the {@code after} of the next
	 * page.
	 */
	record Page(List<ApprovalJson> items, String next) {
	}

	record ApprovalRequest(Long runId, String comment) {
	}

	record ApprovalJson(long id, String plan, String phase, long runId, String reviewedSha256, String approvedBy,
			boolean asOperator, boolean asOwner, String comment, Instant approvedAt, boolean valid, String voidReason) {

		static ApprovalJson of(Approval approval) {
			return new ApprovalJson(approval.id(), approval.plan(), approval.phase(), approval.runId(),
					approval.reviewedSha256(), approval.approvedBy(), approval.asOperator(), approval.asOwner(),
					approval.comment(), approval.approvedAt(), approval.valid(), approval.voidReason());
		}

	}

}
