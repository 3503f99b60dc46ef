package dev.ferry.mapping;

import java.util.List;
import java.util.Optional;

/**
 * Keeps mapping dry runs' results and reviewers' decisions. The executor writes results
 * inside its run's batch transactions (as the system); reading needs VIEWER, deciding
 * REVIEWER. Lists are keyset-paginated and never count the items; the counts come from
 * the dry run's totals and the decisions.
 */
public interface MappingService {

	/** Starts the results of a dry run. */
	void begin(NewMappingRun run);

	/**
	 * Appends items in the dry run's order.
	 * @param firstSeq the seq of the first item (1 for the first call)
	 */
	void append(long runId, long firstSeq, List<MatchedItem> items);

	/** Forgets a dry run's results (a dry run that starts over). */
	void discard(long runId);

	/** Finishes a dry run's results with its totals. */
	void seal(long runId, MappingTotals totals);

	/** The new keys of a phase's standing {@code manual} decisions. */
	List<String> pickedNewKeys(String plan, String phase);

	/**
	 * Flags the standing {@code manual} decisions that chose one of these new keys (a dry
	 * run found they no longer exist): their items are open again, and their history says
	 * why.
	 * @return how many decisions were flagged
	 */
	int flagStale(String plan, String phase, List<String> missingNewKeys, long runId);

	/** A mapping dry run's header, or 404. */
	MappingRun run(long runId);

	/** What a mapping dry run computed, once it has finished; empty before. */
	Optional<MappingTotals> totals(long runId);

	/** The newest sealed dry run of a plan's mapping phase. */
	Optional<Long> latestRun(String plan, String phase);

	/** The items of a queue tab of the latest dry run, a keyset page. */
	MappingPage items(String plan, String phase, Queue queue, String query, String after, int limit);

	/**
	 * The items of a queue tab of the latest dry run narrowed by a search and facets, in
	 * the dry run's order or by best score, a keyset page (the cursor of a sort by score
	 * is the score and the seq). 400 for a facet the dry run has no such value of.
	 */
	MappingPage filteredItems(String plan, String phase, Queue queue, QueueFilter filter, String after, int limit);

	/**
	 * How many open items of an open tab (ambiguous, unresolved, conflict) each facet
	 * value has, within the filter's search and other facets; {@link QueueFacets#NONE}
	 * for another tab.
	 */
	QueueFacets facets(String plan, String phase, Queue queue, QueueFilter filter);

	/** One item of the latest dry run, or 404. */
	MappingItem item(String plan, String phase, String oldKey);

	/**
	 * The first open item of a tab after this one that no other reviewer holds, claimed
	 * for the current reviewer ("save and next", "start reviewing"); wraps around to the
	 * start of the tab. Empty when every open item is decided or held by others.
	 * @param afterSeq the seq of the item just decided, 0 for the start of the tab
	 */
	Optional<MappingItem> claimNext(String plan, String phase, Queue queue, long afterSeq);

	/**
	 * Claims an open item for the current reviewer for a few minutes, unless another
	 * reviewer holds it; releases the reviewer's claim on any other item of the phase.
	 * @return the claim that stands: the reviewer's own, or the other reviewer's
	 */
	Claim claim(String plan, String phase, String oldKey);

	/** The claims that stand on a phase's items, by old key. */
	java.util.Map<String, Claim> claims(String plan, String phase);

	/** The phase's current counts and coverage, or empty before its first dry run. */
	Optional<Coverage> coverage(String plan, String phase);

	/**
	 * Records a decision. 409 when the item's version is not the command's (someone
	 * decided first: nothing is overwritten), 400 for a decision that says too little.
	 * @return the item as it is now
	 */
	MappingItem decide(String plan, String phase, String oldKey, DecisionCommand command);

	/**
	 * How many open items of a queue a bulk accept at this score would decide: those
	 * whose best candidate scores at least {@code minScore} and is ahead of the second
	 * (ties at the top are counted apart and left for a person).
	 */
	BulkPreview bulkPreview(String plan, String phase, Queue queue, double minScore);

	/**
	 * The bulk accept's preview within a search and facets ("apply to all like this"):
	 * the count, and the first {@value BulkPreview#LISTED} items with the candidate each
	 * would be mapped to.
	 */
	BulkPreview bulkPreview(String plan, String phase, Queue queue, double minScore, QueueFilter filter);

	/**
	 * Picks the best candidate of every item the preview counted, in one transaction,
	 * each with its history. 409 when the count is no longer {@code expected}.
	 * @return the items decided
	 */
	long bulkAccept(String plan, String phase, Queue queue, double minScore, long expected);

	/**
	 * The bulk accept within a search and facets: decides exactly the items its preview
	 * with the same filter listed (the same conditions); 409 when their count is no
	 * longer {@code expected}.
	 */
	long bulkAccept(String plan, String phase, Queue queue, double minScore, QueueFilter filter, long expected);

	/** Undoes the standing decision: the item is back to its computed status. */
	MappingItem undo(String plan, String phase, String oldKey, long version);

	/**
	 * New records whose block value contains {@code query} (case aside) or whose key is
	 * it, up to {@code limit}, each scored against the old record {@code oldKey} (when
	 * given) by the phase's tie-breakers: what a reviewer searches for an unresolved
	 * item.
	 */
	List<Candidate> search(String plan, String phase, String query, String oldKey, int limit);

	/**
	 * Writes the map as it stands (the latest dry run's items with the standing
	 * decisions) as CSV, streamed: {@code mapping.csv}.
	 */
	void writeCsv(String plan, String phase, java.io.Writer out);

	/** The item's decisions, undos and flags, oldest first. */
	List<HistoryEntry> history(String plan, String phase, String oldKey);

	/**
	 * The sha256 of what a mapping phase's apply would write from: its latest dry run and
	 * every decision with its version (so any decision, undo or flag since changes it).
	 * What an approval of a mapping phase names. 404 before the phase's first dry run.
	 */
	String decisionsSha256(String plan, String phase);

	/**
	 * What a mapping dry run keeps beside its header (VIEWER), and whether and when its
	 * items were purged; empty for a run without mapping results.
	 */
	Optional<MappingStorage> storage(long runId);

	/**
	 * Deletes a dry run's items, its best new keys and its report file
	 * {@code mapping.csv} (ADMIN); the header and totals stay, marked purged by the
	 * current user. Refused (409) for the phase's latest finished dry run, which the
	 * review queue, coverage, gates and approvals read; the caller decides that nothing
	 * else needs the items.
	 * @return what it freed
	 */
	MappingStorage purgeItems(long runId);

}
