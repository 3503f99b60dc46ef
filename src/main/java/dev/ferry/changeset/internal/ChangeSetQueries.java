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
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import org.springframework.stereotype.Component;

/**
 * Reads change sets from the store: one by its run or the latest of a phase, and its
 * rows a keyset page at a time ({@code (run_id, seq)} and its indexes, never an OFFSET).
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

	ChangeSetQueries(JdbcClient store, JsonMapper json, ChangeRows rows) {
		this.store = store;
		this.json = json;
		this.rows = rows;
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
		List<Object> params = filterParams(changeSet, filter);
		if (hasText(after)) {
			params.add(cursor(after));
		}
		params.add(limit + 1);
		String sql = pageQuery(filter, hasText(after));
		List<Change> items = this.store.sql(sql)
			.params(params)
			.query((rs, row) -> this.rows.change(changeSet, rs))
			.list();
		String next = null;
		if (items.size() > limit) {
			items = items.subList(0, limit);
			next = String.valueOf(items.get(limit - 1).seq());
		}
		return new ChangePage(List.copyOf(items), next);
	}

	/**
	 * The SQL of one page: the filter's conditions and the cursor on the indexes that
	 * start with {@code run_id}, in {@code seq} order, one row more than the page to
	 * know whether a next page exists. Never an OFFSET, never a count.
	 */
	static String pageQuery(ChangeFilter filter, boolean after) {
		return pageQuery(filter, after, false);
	}

	/**
	 * A page's SQL in either direction: {@code backwards} reads the rows before the
	 * cursor ({@code seq < ?}), newest first, on the same indexes read backwards.
	 */
	static String pageQuery(ChangeFilter filter, boolean cursor, boolean backwards) {
		String sql = rowsQuery("SELECT seq, op, table_name, key_values, before_values, after_values, reasons_json",
				filter, cursor ? (backwards ? " AND seq < ?" : " AND seq > ?") : "");
		String order;
		if (hasText(filter.q())) {
			order = " ORDER BY seq";
		}
		else if (filter.op() != null) {
			order = " ORDER BY run_id, op, seq";
		}
		else {
			order = " ORDER BY run_id, seq";
		}
		if (backwards) {
			order = order.replace(", ", " DESC, ").replace("seq", "seq DESC").replace("DESC DESC", "DESC");
		}
		return sql + order + " LIMIT ?";
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

	/** The filter's rows (and a cursor condition) of one change set, without an order. */
	private static String rowsQuery(String select, ChangeFilter filter, String cursor) {
		StringBuilder sql = new StringBuilder(select).append(" FROM change_rows WHERE run_id = ?");
		if (filter.op() != null) {
			sql.append(" AND op = ?");
		}
		else {
			// the changes: kept rows are listed on their own only
			sql.append(" AND op <> 'kept'");
		}
		if (hasText(filter.table())) {
			sql.append(" AND table_name = ?");
		}
		if (hasText(filter.q())) {
			sql.append(" AND key_search LIKE ? ESCAPE '!'");
		}
		if (hasText(filter.rule())) {
			sql.append(" AND reject_rules LIKE ? ESCAPE '!'");
		}
		if (hasText(filter.column())) {
			sql.append(" AND changed_columns LIKE ? ESCAPE '!'");
		}
		return sql.append(cursor).toString();
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
		List<Object> params = filterParams(changeSet, filter);
		if (hasText(cursor)) {
			params.add(cursor(cursor));
		}
		params.add(limit + 1);
		List<Change> rows = new ArrayList<>(this.store.sql(pageQuery(filter, hasText(cursor), backwards))
			.params(params)
			.query((rs, row) -> this.rows.change(changeSet, rs))
			.list());
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

	private List<Object> filterParams(ChangeSet changeSet, ChangeFilter filter) {
		List<Object> params = new ArrayList<>();
		params.add(changeSet.runId());
		if (filter.op() != null) {
			params.add(filter.op().code());
		}
		if (hasText(filter.table())) {
			params.add(filter.table().equalsIgnoreCase(changeSet.table()) ? changeSet.table() : filter.table());
		}
		if (hasText(filter.q())) {
			params.add(likePrefix(filter.q().strip().toLowerCase(Locale.ROOT)));
		}
		if (hasText(filter.rule())) {
			params.add("%" + likePrefix("|" + filter.rule().strip() + "|"));
		}
		if (hasText(filter.column())) {
			params.add("%" + likePrefix("|" + filter.column() + "|"));
		}
		return params;
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
		return this.store.sql(rowsQuery("SELECT count(*)", filter, ""))
			.params(filterParams(changeSet, filter))
			.query(Long.class)
			.single();
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
		List<Object> params = filterParams(changeSet, filter);
		params.add(seq);
		return this.store.sql(rowsQuery("SELECT count(*)", filter, " AND seq < ?"))
			.params(params)
			.query(Long.class)
			.single();
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	List<StoredChange> stored(long runId, long afterSeq, int limit) {
		return this.store.sql("""
				SELECT seq, op, key_values, before_values, after_values FROM change_rows
				WHERE run_id = ? AND seq > ? AND op <> 'kept' ORDER BY run_id, seq LIMIT ?
				""")
			.params(runId, afterSeq, limit)
			.query((rs, row) -> new StoredChange(rs.getLong(1), ChangeOp.of(rs.getString(2)).orElseThrow(),
					ChangeRows.texts(rs.getString(3)), ChangeRows.texts(rs.getString(4)), ChangeRows.texts(rs.getString(5))))
			.list();
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

	private static String likePrefix(String q) {
		return q.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
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
