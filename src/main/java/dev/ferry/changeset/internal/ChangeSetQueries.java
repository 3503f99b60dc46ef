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
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetTotals;
import dev.ferry.changeset.StoredChange;
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

	ChangePage changes(long runId, ChangeFilter filter, String after, int limit) {
		ChangeSet changeSet = get(runId);
		List<Object> params = new ArrayList<>();
		params.add(runId);
		if (filter.op() != null) {
			params.add(filter.op().code());
		}
		if (hasText(filter.table())) {
			params.add(filter.table().equalsIgnoreCase(changeSet.table()) ? changeSet.table() : filter.table());
		}
		if (hasText(filter.q())) {
			params.add(likePrefix(filter.q().strip().toLowerCase(Locale.ROOT)));
		}
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
		StringBuilder sql = new StringBuilder("""
				SELECT seq, op, table_name, key_values, before_values, after_values, reasons_json
				FROM change_rows WHERE run_id = ?""");
		if (filter.op() != null) {
			sql.append(" AND op = ?");
		}
		if (hasText(filter.table())) {
			sql.append(" AND table_name = ?");
		}
		if (hasText(filter.q())) {
			sql.append(" AND key_search LIKE ? ESCAPE '!'");
		}
		if (after) {
			sql.append(" AND seq > ?");
		}
		// H2 reads an index in order only when ORDER BY names its leading columns, even
		// those fixed by equality; without them it would sort every row of the run per page.
		// A key search reads its prefix's range of the key index and sorts it: quick for a
		// key, slower for a prefix a large share of the keys start with.
		if (hasText(filter.q())) {
			sql.append(" ORDER BY seq");
		}
		else if (filter.op() != null) {
			sql.append(" ORDER BY run_id, op, seq");
		}
		else {
			sql.append(" ORDER BY run_id, seq");
		}
		return sql.append(" LIMIT ?").toString();
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	List<StoredChange> stored(long runId, long afterSeq, int limit) {
		return this.store.sql("""
				SELECT seq, op, key_values, before_values, after_values FROM change_rows
				WHERE run_id = ? AND seq > ? ORDER BY run_id, seq LIMIT ?
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
						rs.getLong("rows_deleted"), rs.getLong("rows_rejected"));
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
			throw new dev.ferry.problem.InvalidException("after", "changes.badCursor",
					"'" + after + "' is not a page cursor of this change set.", after);
		}
	}

}
