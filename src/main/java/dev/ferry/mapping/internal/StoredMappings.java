package dev.ferry.mapping.internal;

import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ferry.mapping.BulkPreview;
import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.Claim;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.HistoryEntry;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingPage;
import dev.ferry.mapping.MappingRun;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MappingStorage;
import dev.ferry.mapping.MappingTotals;
import dev.ferry.mapping.MatchedItem;
import dev.ferry.mapping.NewMappingRun;
import dev.ferry.mapping.Queue;
import dev.ferry.mapping.QueueFacets;
import dev.ferry.mapping.QueueFilter;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@link MappingService} of the mapping store (tables {@code mapping_runs},
 * {@code mapping_items}, {@code mapping_decisions}, {@code mapping_decision_history}):
 * the role each call needs and its transaction, the work done by {@link MappingResults},
 * {@link MappingReports}, {@link MappingQueries}, and {@link MappingDecisions}. An item's
 * current status is its decision's while the decision stands (not undone, not stale),
 * else the one its latest dry run computed.
 */
@Service
class StoredMappings implements MappingService {

	private final MappingResults results;

	private final MappingReports reports;

	private final MappingQueries queries;

	private final MappingDecisions decisions;

	private final MappingClaims claims;

	private final MappingPurge purge;

	StoredMappings(MappingResults results, MappingReports reports, MappingQueries queries, MappingDecisions decisions,
			MappingClaims claims, MappingPurge purge) {
		this.purge = purge;
		this.results = results;
		this.reports = reports;
		this.queries = queries;
		this.decisions = decisions;
		this.claims = claims;
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void begin(NewMappingRun run) {
		this.results.begin(run);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void append(long runId, long firstSeq, List<MatchedItem> items) {
		this.results.append(runId, firstSeq, items);
	}

	/**
	 * {@link #append} of rows already computed ({@link ItemRow#of}): how the dry run
	 * stores its items, preparing the next batch while this one is inserted.
	 */
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void appendRows(long runId, long firstSeq, List<ItemRow> rows) {
		this.results.appendRows(runId, firstSeq, rows);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void discard(long runId) {
		this.results.discard(runId);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void seal(long runId, MappingTotals totals) {
		this.results.seal(runId, totals);
	}

	/**
	 * Repeatable read: the CSV is read in pages ({@link MappingReports}), and every page
	 * must see the decisions as they stood when the download began.
	 */
	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public void writeCsv(String plan, String phase, Writer out) {
		this.reports.writeCsv(plan, phase, out);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<String> pickedNewKeys(String plan, String phase) {
		return this.results.pickedNewKeys(plan, phase);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public int flagStale(String plan, String phase, List<String> missingNewKeys, long runId) {
		return this.results.flagStale(plan, phase, missingNewKeys, runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public MappingRun run(long runId) {
		return this.queries.run(runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<MappingTotals> totals(long runId) {
		return this.queries.totals(runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<Long> latestRun(String plan, String phase) {
		return this.queries.latestRun(plan, phase);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public MappingPage filteredItems(String plan, String phase, Queue queue, QueueFilter filter, String after,
			int limit) {
		return this.queries.items(plan, phase, queue, filter, after, limit);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public MappingPage items(String plan, String phase, Queue queue, String query, String after, int limit) {
		return this.queries.items(plan, phase, queue, new QueueFilter(query, null, null, null, null, null), after,
				limit);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public QueueFacets facets(String plan, String phase, Queue queue, QueueFilter filter) {
		return this.queries.facets(plan, phase, queue, filter);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public MappingItem item(String plan, String phase, String oldKey) {
		return this.queries.item(plan, phase, oldKey);
	}

	/** Each claim is its own short transaction ({@link MappingClaims}). */
	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	public Optional<MappingItem> claimNext(String plan, String phase, Queue queue, long afterSeq) {
		return this.claims.claimNext(plan, phase, queue, afterSeq);
	}

	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	public Claim claim(String plan, String phase, String oldKey) {
		return this.claims.claim(plan, phase, oldKey);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Map<String, Claim> claims(String plan, String phase) {
		return this.claims.live(plan, phase);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<Coverage> coverage(String plan, String phase) {
		return this.queries.coverage(plan, phase);
	}

	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	@Transactional
	public MappingItem decide(String plan, String phase, String oldKey, DecisionCommand command) {
		return this.decisions.decide(plan, phase, oldKey, command);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public BulkPreview bulkPreview(String plan, String phase, Queue queue, double minScore) {
		return this.decisions.bulkPreview(plan, phase, queue, minScore, QueueFilter.NONE);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public BulkPreview bulkPreview(String plan, String phase, Queue queue, double minScore, QueueFilter filter) {
		return this.decisions.bulkPreview(plan, phase, queue, minScore, filter);
	}

	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	@Transactional
	public long bulkAccept(String plan, String phase, Queue queue, double minScore, long expected) {
		return this.decisions.bulkAccept(plan, phase, queue, minScore, QueueFilter.NONE, expected);
	}

	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	@Transactional
	public long bulkAccept(String plan, String phase, Queue queue, double minScore, QueueFilter filter, long expected) {
		return this.decisions.bulkAccept(plan, phase, queue, minScore, filter, expected);
	}

	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	@Transactional
	public MappingItem undo(String plan, String phase, String oldKey, long version) {
		return this.decisions.undo(plan, phase, oldKey, version);
	}

	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	@Transactional(readOnly = true)
	public List<Candidate> search(String plan, String phase, String query, String oldKey, int limit) {
		return this.queries.search(plan, phase, query, oldKey, limit);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public String decisionsSha256(String plan, String phase) {
		return this.queries.decisionsSha256(plan, phase);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<HistoryEntry> history(String plan, String phase, String oldKey) {
		return this.queries.history(plan, phase, oldKey);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<MappingStorage> storage(long runId) {
		return this.purge.storage(runId);
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public MappingStorage purgeItems(long runId) {
		return this.purge.purge(runId);
	}

}
