package dev.ferry.plan.spec;

/**
 * What an apply needs besides passing gates.
 *
 * @param operators distinct OPERATOR approvals, never the requester's own
 * @param ownerSignoff whether an OWNER must also sign the dry run off
 */
public record ApprovalsSpec(int operators, boolean ownerSignoff) {

	public static final ApprovalsSpec DEFAULT = new ApprovalsSpec(1, false);

}
