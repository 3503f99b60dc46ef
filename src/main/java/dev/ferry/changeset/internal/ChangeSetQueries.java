package dev.ferry.changeset.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeColumn;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeProfile;
import dev.ferry.changeset.ChangeWindow;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetTotals;
import dev.ferry.changeset.StoredChange;
import dev.ferry.changeset.internal.ChangeSegments.SegmentFilter;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import org.springframework.stereotype.Component;

/**
 * Reads change sets from the store: one by its run or the latest of a phase, and its
 * rows a keyset page at a time (by seq, through the segments' summaries, never an OFFSET).
 */
@Component
class ChangeSetQueries {

	private static final TypeReference<List<ChangeColumn>> COLUMNS = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, Long>> RULE_COUNTS = new TypeReference<>() {
	};

	private final JdbcClient store;

	private final JsonMapper json;

	private final ChangeRows rows;

	private final ChangeSegments segments;

	ChangeSetQueries(JdbcClient store, JsonMapper json, ChangeRows rows, ChangeSegments segments) {
		this.store = store;
		this.json = json;
		this.rows = rows;
		this.segments = segments;
	}

	Optional<ChangeSet> find(long runId) {
		return this.store.sql("SELECT * FROM change_sets WHERE run_id = ?")
			.param(runId)
			.query((rs, row) -> changeSet(rs))
			.optional();
	}

	ChangeSet get(long runId) {
		return find(runId).orElseThrow(() -> new NotFoundException("changes.notFound",
				"Run " + runId + " has no change set: only dry runs of import and mapping phases have one.", runId));
	}

	Optional<ChangeSet> latest(String plan, String phase) {
		return this.store.sql("""
				SELECT * FROM change_sets WHERE plan = ? AND phase = ? AND sealed_at IS NOT NULL
				ORDER BY run_id DESC LIMIT 1
				""").params(plan, phase).query((rs, row) -> changeSet(rs)).optional();
	}

	ChangePage changes(long runId, ChangeFilter asked, String after, int limit) {
		ChangeSet changeSet = get(runId);
		ChangeFilter filter = resolved(changeSet, asked);
		List<Change> items = page(changeSet, filter, hasText(after) ? cursor(after) : null, false, limit + 1);
		String next = null;
		if (items.size() > limit) {
			items = items.subList(0, limit);
			next = String.valueOf(items.get(limit - 1).seq());
		}
		return new ChangePage(List.copyOf(items), next);
	}

	/**
	 * Up to {@code rows} of the filter's rows after (before) the cursor, in seq order
	 * (newest first {@code backwards}): the segments after the cursor whose summary can
	 * hold one, a few at a time. Never an OFFSET, never a count.
	 */
	private List<Change> page(ChangeSet changeSet, ChangeFilter filter, Long cursor, boolean backwards, int rows) {
		List<Change> page = new ArrayList<>();
		SegmentFilter segments = segmentFilter(changeSet, filter);
		if (segments == null) {
			return page;
		}
		this.segments.scan(changeSet.runId(), segments, cursor, backwards, row -> {
			try {
				page.add(this.rows.change(changeSet, row));
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex.getMessage(), ex);
			}
			return page.size() < rows;
		});
		return page;
	}

	/**
	 * The filter as the segments read it, or null when it can list nothing (another table
	 * than the change set's).
	 */
	static SegmentFilter segmentFilter(ChangeSet changeSet, ChangeFilter filter) {
		if (hasText(filter.table()) && !filter.table().strip().equalsIgnoreCase(changeSet.table())) {
			return null;
		}
		return new SegmentFilter(filter.op(), null,
				hasText(filter.q()) ? filter.q().strip().toLowerCase(Locale.ROOT) : null,
				hasText(filter.rule()) ? "|" + filter.rule().strip() + "|" : null,
				hasText(filter.column()) ? "|" + filter.column() + "|" : null);
	}

	/**
	 * A filter as the queries read it: a column filter names one of the change set's
	 * columns as the change set spells it (400 otherwise) and lists updates only.
	 */
	static ChangeFilter resolved(ChangeSet changeSet, ChangeFilter filter) {
		if (!hasText(filter.column())) {
			return filter;
		}
		String asked = filter.column().strip();
		String column = changeSet.columns()
			.stream()
			.map(ChangeColumn::name)
			.filter(name -> name.equalsIgnoreCase(asked))
			.findFirst()
			.orElseThrow(() -> new InvalidException("column", "changes.badColumn",
					"'" + asked + "' is not a column of this change set: use one of "
							+ String.join(", ", changeSet.columns().stream().map(ChangeColumn::name).toList()) + ".",
					asked, String.join(", ", changeSet.columns().stream().map(ChangeColumn::name).toList())));
		if (filter.op() != null && filter.op() != ChangeOp.UPDATE) {
			throw new InvalidException("column", "changes.columnNotUpdate",
					"Only updates change a column: the column filter cannot list " + filter.op().code() + " rows.",
					filter.op().code());
		}
		return new ChangeFilter(ChangeOp.UPDATE, filter.table(), filter.q(), filter.rule(), column);
	}

	/**
	 * A page of the console's diff browser with its place in the filtered rows: the first
	 * page, the page after or before a cursor, or the last page. The position counts the
	 * filtered rows before the page on the index ({@code run_id[, op], seq}), only for a
	 * page in the middle; the total comes from the sealed change set's totals, or is
	 * counted for a key search.
	 */
	ChangeWindow window(long runId, ChangeFilter asked, String after, String before, boolean last, int limit) {
		ChangeSet changeSet = get(runId);
		ChangeFilter filter = resolved(changeSet, asked);
		boolean backwards = last || hasText(before);
		String cursor = hasText(before) ? before : (last ? null : after);
		List<Change> rows = page(changeSet, filter, hasText(cursor) ? cursor(cursor) : null, backwards, limit + 1);
		boolean more = rows.size() > limit;
		if (more) {
			rows = new ArrayList<>(rows.subList(0, limit));
		}
		if (backwards) {
			java.util.Collections.reverse(rows);
		}
		Long total = total(changeSet, filter);
		long from;
		if (rows.isEmpty()) {
			from = 0;
		}
		else if (!backwards && !hasText(after)) {
			from = 1;
		}
		else if (last && total != null) {
			from = total - rows.size() + 1;
		}
		else {
			from = countBefore(changeSet, filter, rows.get(0).seq()) + 1;
		}
		boolean hasNext = backwards ? (!last && !rows.isEmpty()) : more;
		String next = hasNext ? String.valueOf(rows.get(rows.size() - 1).seq()) : null;
		String previous = (from > 1) ? String.valueOf(rows.get(0).seq()) : null;
		return new ChangeWindow(List.copyOf(rows), previous, next, from, total);
	}

	/** The filtered rows of a change set, from its totals when it is sealed. */
	private Long total(ChangeSet changeSet, ChangeFilter filter) {
		boolean otherTable = hasText(filter.table()) && !filter.table().equalsIgnoreCase(changeSet.table());
		if (otherTable) {
			return 0L;
		}
		if (hasText(filter.rule()) && !hasText(filter.q()) && changeSet.sealed()) {
			return ruleCounts(changeSet.runId()).getOrDefault(filter.rule().strip(), 0L);
		}
		if (hasText(filter.column()) && !hasText(filter.q()) && !hasText(filter.rule()) && changeSet.sealed()) {
			return columnCount(changeSet, filter.column());
		}
		if (!hasText(filter.q()) && changeSet.totals() != null) {
			if (filter.op() == null) {
				return changeSet.rowCount();
			}
			return switch (filter.op()) {
				case INSERT -> changeSet.totals().inserted();
				case UPDATE -> changeSet.totals().updated();
				case DELETE -> changeSet.totals().deleted();
				case REJECTED -> changeSet.totals().rejected();
				// the first KEPT_LISTED are listed; all are counted
				case KEPT -> changeSet.totals().keptListed();
			};
		}
		if (!changeSet.sealed()) {
			return null;
		}
		SegmentFilter segments = segmentFilter(changeSet, filter);
		return segments == null ? 0L : this.segments.count(changeSet.runId(), segments, null);
	}

	/**
	 * The updates that change a column, as the seal's profile counted them (exactly); none
	 * for a change set written before rows kept their changed columns, as its filter lists.
	 */
	private long columnCount(ChangeSet changeSet, String column) {
		boolean withChangedColumns = this.store.sql("SELECT kept_rows FROM change_sets WHERE run_id = ?")
			.param(changeSet.runId())
			.query((rs, n) -> rs.getObject(1) != null)
			.single();
		if (!withChangedColumns) {
			return 0;
		}
		return profile(changeSet.runId()).stream()
			.flatMap(profile -> profile.updated().stream())
			.filter(updated -> updated.column().equals(column))
			.mapToLong(ChangeProfile.Updated::rows)
			.sum();
	}

	private long countBefore(ChangeSet changeSet, ChangeFilter filter, long seq) {
		SegmentFilter segments = segmentFilter(changeSet, filter);
		return segments == null ? 0L : this.segments.count(changeSet.runId(), segments, seq);
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	List<StoredChange> stored(long runId, long afterSeq, int limit) {
		List<StoredChange> stored = new ArrayList<>();
		this.segments.scan(runId, SegmentFilter.CHANGES, afterSeq, false, row -> {
			stored.add(new StoredChange(row.seq(), ChangeOp.of(row.op()).orElseThrow(), ChangeRows.texts(row.key()),
					ChangeRows.texts(row.before()), ChangeRows.texts(row.after())));
			return stored.size() < limit;
		});
		return stored;
	}

	ChangeSet sealed(long runId) {
		ChangeSet changeSet = get(runId);
		if (!changeSet.sealed()) {
			throw new RefusedException("changes.notSealed",
					"The dry run is still working on this change set; its downloads are ready when it has finished.",
					runId);
		}
		return changeSet;
	}

	Map<String, Long> rejectedByRule(long runId) {
		get(runId);
		return ruleCounts(runId);
	}

	/** The change set per column, empty until it is sealed (or sealed before profiles). */
	Optional<ChangeProfile> profile(long runId) {
		get(runId);
		return this.store.sql("SELECT profile_json FROM change_sets WHERE run_id = ?")
			.param(runId)
			.query(String.class)
			.optional()
			.map(text -> this.json.readValue(text, ChangeProfile.class));
	}

	/** The rejected rows of a change set by column and rule, empty until it is sealed. */
	Map<String, Long> ruleCounts(long runId) {
		String counts = this.store.sql("SELECT rejected_by_rule FROM change_sets WHERE run_id = ?")
			.param(runId)
			.query(String.class)
			.optional()
			.orElse(null);
		return counts == null ? Map.of() : this.json.readValue(counts, RULE_COUNTS);
	}

	private ChangeSet changeSet(ResultSet rs) throws SQLException {
		Timestamp sealedAt = rs.getTimestamp("sealed_at");
		ChangeSetTotals totals = sealedAt == null ? null
				: new ChangeSetTotals(rs.getLong("source_rows"), rs.getLong("target_rows"), rs.getLong("rows_read"),
						rs.getLong("rows_inserted"), rs.getLong("rows_updated"), rs.getLong("rows_unchanged"),
						rs.getLong("rows_deleted"), rs.getLong("rows_rejected"), rs.getLong("kept_rows"));
		return new ChangeSet(rs.getLong("run_id"), rs.getString("plan"), rs.getInt("plan_version"),
				rs.getString("phase"), rs.getString("connection"), rs.getString("table_name"),
				this.json.readValue(rs.getString("columns_json"), COLUMNS), ChangeRows.texts(rs.getString("key_json")),
				rs.getLong("row_count"), totals, rs.getString("sha256"), rs.getTimestamp("created_at").toInstant(),
				sealedAt == null ? null : sealedAt.toInstant());
	}

	private static long cursor(String after) {
		try {
			return Long.parseLong(after.strip());
		}
		catch (NumberFormatException ex) {
			throw new InvalidException("after", "changes.badCursor",
					"'" + after + "' is not a page cursor of this change set.", after);
		}
	}

}
