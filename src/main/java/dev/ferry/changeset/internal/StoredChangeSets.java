package dev.ferry.changeset.internal;

import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeProfile;
import dev.ferry.changeset.ChangeWindow;
import dev.ferry.changeset.ChangeRow;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.ChangeSetStorage;
import dev.ferry.changeset.ChangeSetTotals;
import dev.ferry.changeset.NewChangeSet;
import dev.ferry.changeset.StoredChange;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@link ChangeSetService} of Ferry's store: the role each call needs and its
 * transaction, the work done by {@link ChangeSetWriter}, {@link ChangeSetQueries},
 * {@link ChangeSetExports} and {@link ChangeSetPurge}. Every read of a change set's rows
 * first asks {@link ChangeSetPurge} whether they were purged (409 with when and by whom).
 */
@Service
class StoredChangeSets implements ChangeSetService {

	private final ChangeSetWriter writer;

	private final ChangeSetQueries queries;

	private final ChangeSetExports exports;

	private final ChangeSetPurge purge;

	StoredChangeSets(ChangeSetWriter writer, ChangeSetQueries queries, ChangeSetExports exports, ChangeSetPurge purge) {
		this.writer = writer;
		this.queries = queries;
		this.exports = exports;
		this.purge = purge;
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void begin(NewChangeSet changeSet) {
		this.writer.begin(changeSet);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void append(long runId, List<ChangeRow> rows) {
		this.writer.append(runId, rows);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional(readOnly = true)
	public void release(long runId) {
		this.writer.release(runId);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void discard(long runId) {
		this.writer.discard(runId);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public ChangeSet seal(long runId, ChangeSetTotals totals) {
		return this.writer.seal(runId, totals);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<ChangeSet> find(long runId) {
		return this.queries.find(runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public ChangeSet get(long runId) {
		return this.queries.get(runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<ChangeSet> latest(String plan, String phase) {
		return this.queries.latest(plan, phase);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public ChangePage changes(long runId, ChangeFilter filter, String after, int limit) {
		this.purge.requireRows(runId);
		return this.queries.changes(runId, filter, after, limit);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public ChangeWindow window(long runId, ChangeFilter filter, String after, String before, boolean last,
			int limit) {
		this.purge.requireRows(runId);
		return this.queries.window(runId, filter, after, before, last, limit);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<ChangeProfile> profile(long runId) {
		return this.queries.profile(runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<StoredChange> stored(long runId, long afterSeq, int limit) {
		this.purge.requireRows(runId);
		return this.queries.stored(runId, afterSeq, limit);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public void writeCsv(long runId, Writer out) {
		this.purge.requireRows(runId);
		this.exports.writeCsv(runId, out);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public void writeJson(long runId, Writer out) {
		this.purge.requireRows(runId);
		this.exports.writeJson(runId, out);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Map<String, Long> rejectedByRule(long runId) {
		return this.queries.rejectedByRule(runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public String summaryJson(long runId) {
		return this.exports.summaryJson(runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public ChangeSet sealed(long runId) {
		return this.queries.sealed(runId);
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<ChangeSetStorage> storage(long runId) {
		return this.purge.storage(runId);
	}

	@Override
	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public ChangeSetStorage purgeRows(long runId) {
		return this.purge.purge(runId);
	}

}
