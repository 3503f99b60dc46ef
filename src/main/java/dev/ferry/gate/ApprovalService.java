package dev.ferry.gate;

import java.util.List;

/**
 * Approvals of dry runs, per the plan's {@code approvals}: by OPERATORs (and an OWNER's
 * sign-off when the plan asks for one), never by whoever requested the dry run, and only
 * while the gates pass. An approval names exactly what was reviewed and is void as soon
 * as a newer dry run exists or, for a mapping phase, a decision changes.
 */
public interface ApprovalService {

	/**
	 * Approves the phase's latest dry run (OPERATOR or OWNER). 403 for the user who
	 * requested it; 409 when the run is not the phase's latest succeeded dry run on the
	 * plan's current version, when a gate of the phase fails, or when this user already
	 * approved exactly this.
	 */
	Approval approve(String plan, String phase, long runId, String comment);

	/**
	 * The approvals of a phase, newest first, each with whether it still counts (VIEWER).
	 */
	List<Approval> ofPhase(String plan, String phase, int limit);

	/**
	 * A page of the phase's approvals older than {@code beforeId} (all when null), newest
	 * first.
	 */
	List<Approval> ofPhase(String plan, String phase, Long beforeId, int limit);

	/**
	 * The phase's latest dry run when the signed-in user may approve it now and it still
	 * needs approvals: an OPERATOR or OWNER who did not request it and has not approved
	 * it as it is now, the dry run succeeded on the plan's current version. What the
	 * pages ask before offering Approve; {@link #approve} checks it again (with the
	 * gates).
	 */
	java.util.Optional<Long> awaitingMyApproval(String plan, String phase);

	/** The newest approvals of every plan, newest first, a keyset page (VIEWER). */
	List<Approval> recent(Long beforeId, int limit);

}
