package dev.ferry.gate;

import java.time.Instant;

/**
 * An approval of a dry run.
 *
 * @param id its id
 * @param plan the plan
 * @param phase the phase
 * @param runId the dry run approved
 * @param reviewedSha256 what the approver saw: the change set's sha256 (a mapping phase:
 * its decisions'; a sql phase: the plan version's)
 * @param approvedBy who approved
 * @param asOperator whether it counts as an operator's approval
 * @param asOwner whether it counts as an owner's sign-off
 * @param comment the approver's words, or null
 * @param approvedAt when
 * @param voidReason why it no longer counts (a newer dry run, a decision since), or null
 * while it counts
 */
public record Approval(long id, String plan, String phase, long runId, String reviewedSha256, String approvedBy,
		boolean asOperator, boolean asOwner, String comment, Instant approvedAt, String voidReason) {

	public boolean valid() {
		return this.voidReason == null;
	}

}
