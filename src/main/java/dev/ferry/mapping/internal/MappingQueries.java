package dev.ferry.mapping.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.Decision;
import dev.ferry.mapping.HistoryEntry;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingPage;
import dev.ferry.mapping.MappingRun;
import dev.ferry.mapping.MappingTotals;
import dev.ferry.mapping.MatchRecord;
import dev.ferry.mapping.MatchRules;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Suggestion;
import dev.ferry.mapping.Queue;
import dev.ferry.mapping.QueueFacets;
import dev.ferry.mapping.QueueFilter;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the mapping store: dry runs and their totals, pages and single items with their
 * decisions, coverage, decision history, the decisions' fingerprint and the search for
 * new records.
 */
@Component
class MappingQueries {

	static final int MAX_PAGE = 500;

	/** Records the search reads from the new table, to rank by similarity. */
	static final int SEARCH_ROWS = 200;

	/**
	 * How similar a name that does not contain what was typed must be to be found: at
	 * most 4 characters in 10 differ (a typo or two in a whole name, not one shared
	 * word).
	 */
	static final double SEARCH_SIMILAR = 0.6;

	private static final TypeReference<List<String>> TEXTS = new TypeReference<>() {
	};

	private static final TypeReference<List<Candidate>> CANDIDATES = new TypeReference<>() {
	};

	private static final TypeReference<List<Suggestion>> SUGGESTIONS = new TypeReference<>() {
	};

	private static final TypeReference<List<Long>> LONGS = new TypeReference<>() {
	};

	private static final TypeReference<List<Double>> DOUBLES = new TypeReference<>() {
	};

	static final String ITEM_COLUMNS = itemColumns("i.candidates_json", "i.suggestions_json");

	/**
	 * {@link #ITEM_COLUMNS} without the candidates and the suggestions (NULL in their
	 * places): what a listing of every item, such as {@code mapping.csv}, reads, so that
	 * a million items' JSON is neither read nor parsed.
	 */
	static final String LISTED_ITEM_COLUMNS = itemColumns("CAST(NULL AS VARCHAR)", "CAST(NULL AS VARCHAR)");

	/** The columns {@link #item(ResultSet, int)} reads, in its order. */
	private static String itemColumns(String candidates, String suggestions) {
		return "i.run_id, i.seq, i.old_key, i.old_values, i.status, i.best_score, i.best_new_key, "
				+ "i.candidate_count, " + candidates + ", d.status, d.new_key, d.reason, d.decided_by, d.decided_at, "
				+ "d.stale, d.version, " + suggestions;
	}

	private final JdbcClient store;

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	private final NewRecords newRecords;

	MappingQueries(JdbcClient store, JdbcTemplate jdbc, JsonMapper json, NewRecords newRecords) {
		this.store = store;
		this.jdbc = jdbc;
		this.json = json;
		this.newRecords = newRecords;
	}

	MappingRun run(long runId) {
		return this.store.sql("""
				SELECT run_id, old_table, new_table, old_fields_json, new_fields_json, weights_json, sealed_at
				FROM mapping_runs WHERE run_id = ?
				""")
			.param(runId)
			.query((rs, row) -> new MappingRun(rs.getLong(1), rs.getString(2), rs.getString(3),
					this.json.readValue(rs.getString(4), TEXTS), this.json.readValue(rs.getString(5), TEXTS),
					this.json.readValue(rs.getString(6), DOUBLES), rs.getTimestamp(7) != null))
			.optional()
			.orElseThrow(
					() -> new NotFoundException("mapping.noRun", "Run #" + runId + " has no mapping results.", runId));
	}

	Optional<MappingTotals> totals(long runId) {
		return this.store.sql("""
				SELECT old_rows, new_rows, items_auto, items_ambiguous, items_unresolved, items_conflict, histogram_json
				FROM mapping_runs WHERE run_id = ? AND sealed_at IS NOT NULL
				""")
			.param(runId)
			.query((rs, row) -> new MappingTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
					rs.getLong(5), rs.getLong(6), this.json.readValue(rs.getString(7), LONGS)))
			.optional();
	}

	Optional<Long> latestRun(String plan, String phase) {
		return this.store.sql("""
				SELECT max(run_id) FROM mapping_runs WHERE plan = ? AND phase = ? AND sealed_at IS NOT NULL
				""").params(plan, phase).query((rs, row) -> rs.getObject(1) == null ? null : rs.getLong(1)).optional();
	}

	/** The latest finished dry run of a phase; 404 when there is none. */
	long latest(String plan, String phase) {
		return latestRun(plan, phase).orElseThrow(() -> new NotFoundException("mapping.noDryRun",
				"Phase " + phase + " of plan " + plan + " has no finished dry run yet.", phase, plan));
	}

	MappingPage items(String plan, String phase, Queue queue, QueueFilter filter, String after, int limit) {
		if (limit < 1 || limit > MAX_PAGE) {
			throw new InvalidException("limit", "page.limit", "limit must be between 1 and " + MAX_PAGE + ".", 1,
					MAX_PAGE);
		}
		long runId = latest(plan, phase);
		MappingRun run = run(runId);
		List<Object> params = new ArrayList<>(List.of(plan, phase, runId));
		StringBuilder sql = new StringBuilder("SELECT ").append(ITEM_COLUMNS);
		QueueFilter.Sort sort = filter.sort();
		if (queue == Queue.DECIDED) {
			if (sort != QueueFilter.Sort.RUN) {
				throw new InvalidException("sort", "mapping.sort.decided",
						"The decided tab is in old key order: sort by score works on the other tabs.");
			}
			// driven by the decisions (few), in old key order
			sql.append(" FROM mapping_decisions d JOIN mapping_items i ON i.run_id = ? AND i.old_key = d.old_key ")
				.append("WHERE d.plan = ? AND d.phase = ? AND d.status IS NOT NULL AND NOT d.stale");
			params = new ArrayList<>(List.of(runId, plan, phase));
			if (after != null) {
				sql.append(" AND d.old_key > ?");
				params.add(after);
			}
			conditions(filter, run, null, sql, params);
			sql.append(" ORDER BY d.plan, d.phase, d.old_key LIMIT ?");
		}
		else {
			// every item, or one computed status's, in the dry run's order (or by score)
			sql.append(" FROM mapping_items i LEFT JOIN mapping_decisions d ON d.plan = ? AND d.phase = ? ")
				.append("AND d.old_key = i.old_key WHERE i.run_id = ?");
			if (queue != Queue.ALL) {
				sql.append(" AND i.status = ?");
				params.add(queue.computed().code());
			}
			if (queue != Queue.ALL && queue != Queue.AUTO) {
				// open: no standing decision
				sql.append(" AND (d.status IS NULL OR d.stale)");
			}
			if (after != null && sort == QueueFilter.Sort.RUN) {
				sql.append(" AND i.seq > ?");
				params.add(cursor(after));
			}
			else if (after != null) {
				// keyset: the score (no candidate as -1), then seq among equal scores
				double[] at = scoreCursor(after);
				sql.append(" AND (").append(SORT_SCORE).append(sort == QueueFilter.Sort.SCORE_ASC ? " > ?" : " < ?");
				sql.append(" OR (").append(SORT_SCORE).append(" = ? AND i.seq > ?))");
				params.add(at[0]);
				params.add(at[0]);
				params.add((long) at[1]);
			}
			conditions(filter, run, null, sql, params);
			if (sort == QueueFilter.Sort.RUN) {
				// the index's leading columns, so H2 reads it in order and stops
				sql.append((queue == Queue.ALL) ? " ORDER BY i.run_id, i.seq LIMIT ?"
						: " ORDER BY i.run_id, i.status, i.seq LIMIT ?");
			}
			else {
				// the tab's rows found by the index's leading columns, sorted
				sql.append(" ORDER BY ")
					.append(SORT_SCORE)
					.append(sort == QueueFilter.Sort.SCORE_ASC ? "" : " DESC")
					.append(", i.seq LIMIT ?");
			}
		}
		params.add(limit + 1);
		List<MappingItem> items = this.store.sql(sql.toString()).params(params).query(this::item).list();
		String next = null;
		if (items.size() > limit) {
			items = items.subList(0, limit);
			MappingItem last = items.get(limit - 1);
			if (queue == Queue.DECIDED) {
				next = last.oldKey();
			}
			else if (sort == QueueFilter.Sort.RUN) {
				next = String.valueOf(last.seq());
			}
			else {
				next = (last.bestScore() == null ? -1.0 : last.bestScore()) + "_" + last.seq();
			}
		}
		return new MappingPage(items, next);
	}

	/** What a sort by score orders by: the best score, no candidate as -1. */
	static final String SORT_SCORE = "COALESCE(i.best_score, -1)";

	/**
	 * The best score's tenth, 0 to 9 (1.0 in 9); NULL without candidates (not LEAST,
	 * which ignores a NULL on both databases).
	 */
	static final String BAND = "CASE WHEN i.best_score * 10 + 1e-9 >= 9 THEN 9 ELSE FLOOR(i.best_score * 10 + 1e-9) END";

	/** The candidate count, four and more as 4. */
	static final String CANDIDATE_BAND = "CASE WHEN i.candidate_count >= 4 THEN 4 ELSE i.candidate_count END";

	/**
	 * Appends the filter's search and facets as conditions on the items {@code i}, with
	 * their parameters; {@code skip} names a facet left out (to count its values). 400
	 * for a {@code differs} that names no tie-breaker of the dry run.
	 */
	void conditions(QueueFilter filter, MappingRun run, String skip, StringBuilder sql, List<Object> params) {
		if (filter.q() != null) {
			sql.append(" AND i.search_text LIKE ? ESCAPE '!'");
			params.add("%" + likeEscape(filter.q().strip().toLowerCase(Locale.ROOT)) + "%");
		}
		if (filter.band() != null && !"band".equals(skip)) {
			if (filter.band() < 0) {
				sql.append(" AND i.best_score IS NULL");
			}
			else {
				sql.append(" AND ").append(BAND).append(" = ?");
				params.add(filter.band());
			}
		}
		if (filter.candidates() != null && !"candidates".equals(skip)) {
			sql.append(" AND ").append(CANDIDATE_BAND).append(" = ?");
			params.add(Math.min(4, filter.candidates()));
		}
		if (filter.differs() != null && !"differs".equals(skip)) {
			if (QueueFilter.ALL_AGREE.equals(filter.differs())) {
				sql.append(" AND i.best_differs = '|'");
			}
			else {
				sql.append(" AND i.best_differs LIKE ?");
				params.add("%|" + tieBreaker(run, filter.differs()) + "|%");
			}
		}
		if (filter.prefix() != null && !"prefix".equals(skip)) {
			sql.append(" AND i.block_prefix = ?");
			params.add(filter.prefix());
		}
	}

	/** The index of the tie-breaker of this old field; 400 when it is none. */
	private static int tieBreaker(MappingRun run, String name) {
		List<String> tieBreakers = run.oldFields().subList(Math.min(1, run.oldFields().size()), run.oldFields().size());
		int index = tieBreakers.indexOf(name);
		if (index < 0) {
			throw new InvalidException(
					"differs", "mapping.facet.differs.invalid", "differs is a tie-breaker of the dry run ("
							+ String.join(", ", tieBreakers) + ") or none (all agree), not " + name + ".",
					name, String.join(", ", tieBreakers));
		}
		return index;
	}

	/**
	 * The facet counts of an open tab's items (decisions applied as the list applies
	 * them): each facet with the search and the other facets applied. One
	 * {@code GROUP BY} of the tab's open items (the search applied) by the four facets'
	 * values, a few hundred groups at most; each facet's counts are summed from the
	 * groups that the other facets chosen keep, by the same rules as {@link #conditions}.
	 */
	QueueFacets facets(String plan, String phase, Queue queue, QueueFilter filter) {
		if (queue.computed() == null || !queue.computed().open()) {
			return QueueFacets.NONE;
		}
		long runId = latest(plan, phase);
		MappingRun run = run(runId);
		List<String> tieBreakers = run.oldFields().subList(Math.min(1, run.oldFields().size()), run.oldFields().size());
		Integer differsIndex = (filter.differs() == null || QueueFilter.ALL_AGREE.equals(filter.differs())) ? null
				: tieBreaker(run, filter.differs());
		StringBuilder sql = new StringBuilder("SELECT ").append(BAND)
			.append(", ")
			.append(CANDIDATE_BAND)
			.append(", i.block_prefix, i.best_differs, count(*) ")
			.append(OPEN_ITEMS);
		List<Object> params = new ArrayList<>(List.of(plan, phase, runId, queue.computed().code()));
		conditions(new QueueFilter(filter.q(), null, null, null, null, null), run, null, sql, params);
		sql.append(" GROUP BY ")
			.append(BAND)
			.append(", ")
			.append(CANDIDATE_BAND)
			.append(", i.block_prefix, i.best_differs");
		long[] band = new long[11];
		long[] candidates = new long[5];
		java.util.Map<String, Long> byPrefix = new java.util.TreeMap<>(
				java.util.Comparator.comparing((String p) -> "#".equals(p)).thenComparing(p -> p));
		long[] differing = new long[tieBreakers.size()];
		long[] agree = new long[1];
		long[] stored = new long[1];
		this.jdbc.query(sql.toString(), (RowCallbackHandler) rs -> {
			double bandValue = rs.getDouble(1);
			int itemBand = rs.wasNull() ? -1 : (int) bandValue;
			int itemCandidates = Math.max(0, Math.min(4, rs.getInt(2)));
			String prefix = rs.getString(3);
			String differs = rs.getString(4);
			long count = rs.getLong(5);
			boolean bandOk = filter.band() == null || filter.band() == itemBand;
			boolean candidatesOk = filter.candidates() == null || Math.min(4, filter.candidates()) == itemCandidates;
			boolean prefixOk = filter.prefix() == null || filter.prefix().equals(prefix);
			boolean differsOk = filter.differs() == null || (differsIndex == null ? "|".equals(differs)
					: differs != null && differs.contains("|" + differsIndex + "|"));
			if (candidatesOk && prefixOk && differsOk) {
				band[itemBand < 0 ? 10 : itemBand] += count;
			}
			if (bandOk && prefixOk && differsOk) {
				candidates[itemCandidates] += count;
			}
			if (bandOk && candidatesOk && differsOk && prefix != null) {
				byPrefix.merge(prefix, count, Long::sum);
			}
			if (bandOk && candidatesOk && prefixOk && differs != null) {
				stored[0] += count;
				if ("|".equals(differs)) {
					agree[0] += count;
				}
				for (int i = 0; i < differing.length; i++) {
					if (differs.contains("|" + i + "|")) {
						differing[i] += count;
					}
				}
			}
		}, params.toArray());
		List<QueueFacets.Count> bands = new ArrayList<>();
		for (int i = 9; i >= 0; i--) {
			if (band[i] > 0 || Integer.valueOf(i).equals(filter.band())) {
				bands.add(new QueueFacets.Count(QueueFilter.bandParam(i),
						String.format(Locale.ROOT, "%.1f–%.1f", i / 10.0, (i + 1) / 10.0), band[i]));
			}
		}
		if (band[10] > 0 || Integer.valueOf(-1).equals(filter.band())) {
			bands.add(new QueueFacets.Count(QueueFilter.bandParam(-1), "none", band[10]));
		}
		List<QueueFacets.Count> counts = new ArrayList<>();
		for (int i : new int[] { 1, 2, 3, 4, 0 }) {
			if (candidates[i] > 0 || Integer.valueOf(i).equals(filter.candidates())) {
				counts.add(new QueueFacets.Count(QueueFilter.candidatesParam(i), QueueFilter.candidatesParam(i),
						candidates[i]));
			}
		}
		if (filter.prefix() != null) {
			byPrefix.putIfAbsent(filter.prefix(), 0L);
		}
		List<QueueFacets.Count> prefixes = new ArrayList<>();
		byPrefix.forEach((prefix, count) -> prefixes.add(new QueueFacets.Count(prefix, prefix, count)));
		List<QueueFacets.Count> differs = new ArrayList<>();
		if (stored[0] > 0 || filter.differs() != null) {
			for (int i = 0; i < tieBreakers.size(); i++) {
				if (differing[i] > 0 || tieBreakers.get(i).equals(filter.differs())) {
					differs.add(new QueueFacets.Count(tieBreakers.get(i), tieBreakers.get(i), differing[i]));
				}
			}
			if (agree[0] > 0 || QueueFilter.ALL_AGREE.equals(filter.differs())) {
				differs.add(new QueueFacets.Count(QueueFilter.ALL_AGREE, QueueFilter.ALL_AGREE, agree[0]));
			}
		}
		return new QueueFacets(bands, counts, differs, prefixes);
	}

	/** The open items of a tab: the same rows as the list's. */
	private static final String OPEN_ITEMS = """
			FROM mapping_items i LEFT JOIN mapping_decisions d ON d.plan = ? AND d.phase = ? AND d.old_key = i.old_key
			WHERE i.run_id = ? AND i.status = ? AND (d.status IS NULL OR d.stale)""";

	private static double[] scoreCursor(String after) {
		int bar = after.lastIndexOf('_');
		try {
			if (bar < 1) {
				throw new NumberFormatException(after);
			}
			double score = Double.parseDouble(after.substring(0, bar));
			long seq = Long.parseLong(after.substring(bar + 1));
			if (Double.isNaN(score) || Double.isInfinite(score)) {
				throw new NumberFormatException(after);
			}
			return new double[] { score, seq };
		}
		catch (NumberFormatException ex) {
			throw new InvalidException("after", "page.after", "after is not a cursor of this list: " + after, after);
		}
	}

	private static long cursor(String after) {
		try {
			return Long.parseLong(after);
		}
		catch (NumberFormatException ex) {
			throw new InvalidException("after", "page.after", "after is not a cursor of this list: " + after, after);
		}
	}

	private static String likeEscape(String text) {
		return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
	}

	MappingItem item(String plan, String phase, String oldKey) {
		long runId = latest(plan, phase);
		return find(plan, phase, runId, oldKey).orElseThrow(() -> new NotFoundException("mapping.noItem",
				"The latest dry run of phase " + phase + " has no old record " + oldKey + ".", oldKey, phase));
	}

	private Optional<MappingItem> find(String plan, String phase, long runId, String oldKey) {
		return this.store
			.sql("SELECT " + ITEM_COLUMNS + " FROM mapping_items i LEFT JOIN mapping_decisions d "
					+ "ON d.plan = ? AND d.phase = ? AND d.old_key = i.old_key WHERE i.run_id = ? AND i.old_key = ?")
			.params(plan, phase, runId, oldKey)
			.query(this::item)
			.optional();
	}

	Optional<Coverage> coverage(String plan, String phase) {
		Optional<Long> latest = latestRun(plan, phase);
		if (latest.isEmpty()) {
			return Optional.empty();
		}
		long runId = latest.get();
		MappingTotals totals = totals(runId).orElseThrow();
		long[] computed = { totals.auto(), totals.ambiguous(), totals.unresolved(), totals.conflict() };
		List<Long> histogram = totals.histogram();
		// indexed like the computed statuses' ordinals: auto, ambiguous, unresolved,
		// conflict
		long[] current = computed.clone();
		long[] decided = new long[2];
		this.store.sql("""
				SELECT i.status, d.status, count(*) FROM mapping_decisions d
				JOIN mapping_items i ON i.run_id = ? AND i.old_key = d.old_key
				WHERE d.plan = ? AND d.phase = ? AND d.status IS NOT NULL AND NOT d.stale
				GROUP BY i.status, d.status
				""").params(runId, plan, phase).query((RowCallbackHandler) rs -> {
			MatchStatus was = MatchStatus.of(rs.getString(1)).orElseThrow();
			MatchStatus now = MatchStatus.of(rs.getString(2)).orElseThrow();
			long count = rs.getLong(3);
			current[was.ordinal()] -= count;
			decided[now == MatchStatus.MANUAL ? 0 : 1] += count;
		});
		return Optional
			.of(new Coverage(runId, current[0], decided[0], decided[1], current[1], current[2], current[3], histogram));
	}

	List<Candidate> search(String plan, String phase, String query, String oldKey, int limit) {
		if (query == null || query.isBlank()) {
			throw new InvalidException("q", "mapping.search.empty", "Type part of a name (or a key) to search for.");
		}
		if (limit < 1 || limit > 100) {
			throw new InvalidException("limit", "page.limit", "limit must be between 1 and 100.", 1, 100);
		}
		MappingPhase spec = this.newRecords.phase(plan, phase);
		MatchRules rules = new MatchRules(spec);
		MatchRecord old = null;
		if (oldKey != null && !oldKey.isBlank()) {
			MappingItem item = item(plan, phase, oldKey);
			old = new MatchRecord(item.oldKey(), item.old());
		}
		// the database's best SEARCH_ROWS by trigrams shared, ranked here by similarity
		String wanted = rules.blockKey(query);
		String key = query.strip();
		List<Found> found = new ArrayList<>();
		for (MatchRecord record : this.newRecords.search(plan, spec, query, SEARCH_ROWS)) {
			String blockKey = rules.blockKey(record.blockValue());
			boolean isKey = record.key().equals(key);
			boolean contains = wanted != null && blockKey != null && blockKey.contains(wanted);
			double similarity = (wanted == null || blockKey == null) ? 0 : NameSimilarity.similarity(wanted, blockKey);
			Candidate candidate = (old != null) ? rules.score(old, record) : new Candidate(record.key(), 0,
					java.util.Collections.nCopies(spec.tieBreakers().size(), 0.0), record.values());
			if (isKey || contains || similarity >= SEARCH_SIMILAR) {
				found.add(new Found(candidate, isKey, contains, similarity));
			}
		}
		// the key itself, then names containing what was typed, then the closest names;
		// the tie-breakers' score among equals
		found.sort(java.util.Comparator.comparing(Found::isKey)
			.thenComparing(Found::contains)
			.thenComparingDouble(Found::similarity)
			.thenComparingDouble(f -> f.candidate().score())
			.reversed());
		return found.stream().limit(limit).map(Found::candidate).toList();
	}

	/** A record found by the search, with what ranks it. */
	private record Found(Candidate candidate, boolean isKey, boolean contains, double similarity) {
	}

	String decisionsSha256(String plan, String phase) {
		long runId = latest(plan, phase);
		MessageDigest digest = sha256();
		digest.update(("run " + runId + "\n").getBytes(StandardCharsets.UTF_8));
		this.jdbc.query(
				"SELECT old_key, status, new_key, stale, version FROM mapping_decisions "
						+ "WHERE plan = ? AND phase = ? ORDER BY old_key",
				(RowCallbackHandler) rs -> digest
					.update((rs.getString(1) + "\t" + rs.getString(2) + "\t" + rs.getString(3) + "\t" + rs.getBoolean(4)
							+ "\t" + rs.getLong(5) + "\n")
						.getBytes(StandardCharsets.UTF_8)),
				plan, phase);
		return HexFormat.of().formatHex(digest.digest());
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	List<HistoryEntry> history(String plan, String phase, String oldKey) {
		return this.store.sql("""
				SELECT action, status, new_key, reason, actor, at, version FROM mapping_decision_history
				WHERE plan = ? AND phase = ? AND old_key = ? ORDER BY id
				""")
			.params(plan, phase, oldKey)
			.query((rs, row) -> new HistoryEntry(rs.getString(1), MatchStatus.of(rs.getString(2)).orElse(null),
					rs.getString(3), rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getLong(7)))
			.list();
	}

	/** An item from a row of {@link #ITEM_COLUMNS}. */
	MappingItem item(ResultSet rs, int row) throws SQLException {
		double best = rs.getDouble(6);
		Double bestScore = rs.wasNull() ? null : best;
		String candidates = rs.getString(9);
		String suggestions = rs.getString(17);
		Decision decision = null;
		long version = 0;
		if (rs.getObject(16) != null) {
			version = rs.getLong(16);
			Timestamp at = rs.getTimestamp(14);
			decision = new Decision(MatchStatus.of(rs.getString(10)).orElse(null), rs.getString(11), rs.getString(12),
					rs.getString(13), at == null ? null : at.toInstant(), rs.getBoolean(15));
		}
		return new MappingItem(rs.getLong(1), rs.getLong(2), rs.getString(3), ItemJson.parseTexts(rs.getString(4)),
				MatchStatus.of(rs.getString(5)).orElseThrow(), bestScore, rs.getString(7), rs.getInt(8),
				candidates == null ? List.of() : this.json.readValue(candidates, CANDIDATES), decision, version,
				suggestions == null ? List.of() : this.json.readValue(suggestions, SUGGESTIONS));
	}

}
