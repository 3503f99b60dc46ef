package dev.ferry.changeset;

import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps and shows dry runs' change sets. Executors write them inside their run's batch
 * transactions (so a batch's rows are kept exactly when the batch is); reading needs
 * VIEWER. Lists are keyset-paginated by the rows' order and never count the change set.
 */
public interface ChangeSetService {

	/** Starts the change set of a dry run (OPERATOR; the run engine acts as the system). */
	void begin(NewChangeSet changeSet);

	/** Appends rows, in the order the dry run found them. */
	void append(long runId, List<ChangeRow> rows);

	/**
	 * The dry run writing a change set has ended, or stopped on this instance: forgets what
	 * was gathered for its seal and any unpublished draft of its report files (a sealed
	 * change set keeps its published reports).
	 */
	void release(long runId);

	/** Forgets a change set and its rows (a dry run that starts over). */
	void discard(long runId);

	/**
	 * Finishes a change set: stores its totals, computes its sha256 over the canonical
	 * form of its rows, and writes its report files.
	 */
	ChangeSet seal(long runId, ChangeSetTotals totals);

	Optional<ChangeSet> find(long runId);

	/** The change set of a dry run, or 404. */
	ChangeSet get(long runId);

	/**
	 * The change set of a dry run that has finished (sealed it): 404 without one, 409 while
	 * the dry run is still writing it.
	 */
	ChangeSet sealed(long runId);

	/** The newest sealed change set of a plan's phase. */
	Optional<ChangeSet> latest(String plan, String phase);

	/**
	 * A keyset page of rows in the dry run's order.
	 * @param after the cursor of the previous page ({@link ChangePage#next()}), or null
	 */
	ChangePage changes(long runId, ChangeFilter filter, String after, int limit);

	/**
	 * A page of the diff browser with its position (VIEWER): the first page, the page
	 * after {@code after} or before {@code before}, or the last page.
	 */
	ChangeWindow window(long runId, ChangeFilter filter, String after, String before, boolean last, int limit);

	/** The change set per column, once it is sealed (VIEWER). */
	java.util.Optional<ChangeProfile> profile(long runId);

	/**
	 * Up to {@code limit} rows after {@code afterSeq} in order, as stored (no typing, no
	 * reasons): what an apply replays, without the cost of the page model.
	 */
	List<StoredChange> stored(long runId, long afterSeq, int limit);

	/** Writes every row as CSV: seq, table, op, the key, before and after per column, reasons. */
	void writeCsv(long runId, Writer out);

	/** Writes the summary and every row as one JSON document. */
	void writeJson(long runId, Writer out);

	/**
	 * How many rejections each rule caused, as {@code "column: rule"} → rows, in that
	 * order; empty until the change set is sealed.
	 */
	Map<String, Long> rejectedByRule(long runId);

	/** The summary report: counts, hash, what was compared, rejections by rule. */
	String summaryJson(long runId);

	/**
	 * What the change set keeps beside its header (VIEWER), and whether and when its rows
	 * were purged; empty when the run has no change set.
	 */
	Optional<ChangeSetStorage> storage(long runId);

	/**
	 * Deletes the change set's rows and its report file {@code changes.csv} (ADMIN); the
	 * header (totals, sha256, profile, what approvals name) stays, marked purged by the
	 * current user. The caller decides that nothing needs the rows any more. Reading the
	 * rows afterwards is refused (409) with when and by whom they were purged.
	 * @return what it freed
	 */
	ChangeSetStorage purgeRows(long runId);

}
