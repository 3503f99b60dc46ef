package dev.ferry.gate;

import java.util.List;

/**
 * The conversation on a dry run, beside its approvals: comments by anyone who reads it,
 * and requests for changes by those who may approve it. A request for changes is a no
 * with a reason: while the dry run is the phase's latest, approving and applying it are
 * refused with that reason; a new dry run is the answer.
 */
public interface ReviewService {

	/**
	 * Adds a comment to a dry run (VIEWER). 400 for an empty or too long text; 404 when
	 * the run is not a dry run of that phase.
	 */
	ReviewNote comment(String plan, String phase, long runId, String text);

	/**
	 * Requests changes to the phase's latest dry run (OPERATOR or OWNER), with a reason.
	 * 409 when the run is not the dry run waiting for approval (or approved).
	 */
	ReviewNote requestChanges(String plan, String phase, long runId, String reason);

	/**
	 * Whether the signed-in user may request changes to the dry run now (an OPERATOR or
	 * OWNER, on the dry run an apply would use, not already rejected): what the review
	 * page asks before offering the form; {@link #requestChanges} applies the same rule.
	 */
	boolean mayRequestChanges(String plan, String phase, long runId);

	/** The notes on a dry run, oldest first (VIEWER). */
	List<ReviewNote> ofRun(long runId);

	/**
	 * The newest requests for changes of every plan, newest first, a keyset page
	 * (VIEWER).
	 */
	List<ReviewNote> changesRequested(Long beforeId, int limit);

}
