package dev.ferry.mapping.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import dev.ferry.changeset.Csv;
import dev.ferry.changeset.ReportFiles;
import dev.ferry.mapping.BulkPreview;
import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.Decision;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.mapping.DecisionsChanged;
import dev.ferry.mapping.HistoryEntry;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingPage;
import dev.ferry.mapping.MappingRun;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MappingTotals;
import dev.ferry.mapping.MatchRecord;
import dev.ferry.mapping.MatchRules;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.MatchedItem;
import dev.ferry.mapping.NewMappingRun;
import dev.ferry.mapping.Queue;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.CurrentUser;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The mapping results and decisions in Ferry's store (tables {@code mapping_runs},
 * {@code mapping_items}, {@code mapping_decisions}, {@code mapping_decision_history}). An
 * item's current status is its decision's while the decision stands (not undone, not
 * stale), else the one its latest dry run computed.
 */
@Service
class StoredMappings implements MappingService {

	static final int MAX_PAGE = 500;

	/** Picked new keys flagged stale per statement. */
	static final int STALE_CHUNK = 500;

	private static final TypeReference<List<String>> TEXTS = new TypeReference<>() {
	};

	private static final TypeReference<List<Candidate>> CANDIDATES = new TypeReference<>() {
	};

	private static final TypeReference<List<Long>> LONGS = new TypeReference<>() {
	};

	private static final TypeReference<List<Double>> DOUBLES = new TypeReference<>() {
	};

	private static final String ITEM_COLUMNS = "i.run_id, i.seq, i.old_key, i.old_values, i.status, i.best_score, "
			+ "i.best_new_key, i.candidate_count, i.candidates_json, d.status, d.new_key, d.reason, d.decided_by, "
			+ "d.decided_at, d.stale, d.version";

	private final JdbcClient store;

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	private final Clock clock;

	private final NewRecords newRecords;

	private final ReportFiles reports;

	private final ApplicationEventPublisher events;

	private final PhaseLifecycle lifecycle;

	StoredMappings(JdbcClient store, JdbcTemplate jdbc, JsonMapper json, Clock clock, NewRecords newRecords,
			ReportFiles reports, ApplicationEventPublisher events, PhaseLifecycle lifecycle) {
		this.lifecycle = lifecycle;
		this.events = events;
		this.newRecords = newRecords;
		this.reports = reports;
		this.store = store;
		this.jdbc = jdbc;
		this.json = json;
		this.clock = clock;
	}

	// --- the dry run's results ------------------------------------------------------

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void begin(NewMappingRun run) {
		this.store.sql("""
				INSERT INTO mapping_runs (run_id, plan, plan_version, phase, old_table, new_table, old_fields_json,
				new_fields_json, weights_json, unique_new, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(run.runId(), run.plan(), run.planVersion(), run.phase(), run.oldTable(), run.newTable(),
					this.json.writeValueAsString(run.oldFields()), this.json.writeValueAsString(run.newFields()),
					this.json.writeValueAsString(run.weights()), run.uniqueNew(), Timestamp.from(this.clock.instant()))
			.update();
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void append(long runId, long firstSeq, List<MatchedItem> items) {
		if (items.isEmpty()) {
			return;
		}
		boolean uniqueNew = this.store.sql("SELECT unique_new FROM mapping_runs WHERE run_id = ?")
			.param(runId)
			.query(Boolean.class)
			.single();
		this.jdbc.batchUpdate("""
				INSERT INTO mapping_items (run_id, seq, old_key, status, best_score, best_new_key, second_score,
				candidate_count, old_values, candidates_json, search_text)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", new BatchPreparedStatementSetter() {

			@Override
			public void setValues(PreparedStatement statement, int i) throws SQLException {
				MatchedItem item = items.get(i);
				statement.setLong(1, runId);
				statement.setLong(2, firstSeq + i);
				statement.setString(3, item.old().key());
				statement.setString(4, item.status().code());
				if (item.bestScore() == null) {
					statement.setNull(5, java.sql.Types.DOUBLE);
				}
				else {
					statement.setDouble(5, item.bestScore());
				}
				statement.setString(6, item.bestNewKey());
				if (item.candidates().size() < 2) {
					statement.setNull(7, java.sql.Types.DOUBLE);
				}
				else {
					statement.setDouble(7, item.candidates().get(1).score());
				}
				statement.setInt(8, item.candidateCount());
				statement.setString(9, StoredMappings.this.json.writeValueAsString(item.old().values()));
				statement.setString(10, item.candidates().isEmpty() ? null
						: StoredMappings.this.json.writeValueAsString(item.candidates()));
				statement.setString(11, searchText(item));
			}

			@Override
			public int getBatchSize() {
				return items.size();
			}

		});
		if (uniqueNew) {
			// which old records have a new record as their best: what unique-new checks
			List<MatchedItem> best = items.stream().filter(item -> item.bestNewKey() != null).toList();
			this.jdbc.batchUpdate("INSERT INTO mapping_new_keys (run_id, new_key, old_key, status) VALUES (?, ?, ?, ?)",
					best, 1000, (statement, item) -> {
						statement.setLong(1, runId);
						statement.setString(2, item.bestNewKey());
						statement.setString(3, item.old().key());
						statement.setString(4, item.status().code());
					});
		}
	}

	/** The old record's key and values, lower case, for the search box. */
	private static String searchText(MatchedItem item) {
		StringJoiner text = new StringJoiner(" ");
		text.add(item.old().key());
		for (String value : item.old().values()) {
			if (value != null) {
				text.add(value);
			}
		}
		String joined = text.toString().toLowerCase(Locale.ROOT);
		return joined.length() > 4000 ? joined.substring(0, 4000) : joined;
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void discard(long runId) {
		this.store.sql("DELETE FROM mapping_new_keys WHERE run_id = ?").param(runId).update();
		this.store.sql("DELETE FROM mapping_items WHERE run_id = ?").param(runId).update();
		this.store.sql("DELETE FROM mapping_runs WHERE run_id = ?").param(runId).update();
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public void seal(long runId, MappingTotals totals) {
		int updated = this.store.sql("""
				UPDATE mapping_runs SET old_rows = ?, new_rows = ?, items_auto = ?, items_ambiguous = ?,
				items_unresolved = ?, items_conflict = ?, histogram_json = ?, sealed_at = ?
				WHERE run_id = ? AND sealed_at IS NULL
				""")
			.params(totals.oldRows(), totals.newRows(), totals.auto(), totals.ambiguous(), totals.unresolved(),
					totals.conflict(), this.json.writeValueAsString(totals.histogram()),
					Timestamp.from(this.clock.instant()), runId)
			.update();
		if (updated != 1) {
			throw new IllegalStateException("Mapping dry run #" + runId + " has no open results to seal.");
		}
		String[] header = this.store.sql("SELECT plan, phase FROM mapping_runs WHERE run_id = ?")
			.param(runId)
			.query((rs, row) -> new String[] { rs.getString(1), rs.getString(2) })
			.single();
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("run", runId);
		summary.put("plan", header[0]);
		summary.put("phase", header[1]);
		summary.put("oldRows", totals.oldRows());
		summary.put("newRows", totals.newRows());
		summary.put("auto", totals.auto());
		summary.put("ambiguous", totals.ambiguous());
		summary.put("unresolved", totals.unresolved());
		summary.put("conflict", totals.conflict());
		summary.put("bestScoreHistogram", totals.histogram());
		ReportFiles.Draft draft = this.reports.draft(header[0], header[1], runId);
		try (Writer out = draft.writer("mapping.csv")) {
			writeCsv(header[0], header[1], runId, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the mapping reports of run " + runId + ": " + ex.getMessage(),
					ex);
		}
		draft.write("summary.json", this.json.writeValueAsString(summary));
		draft.publish();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public void writeCsv(String plan, String phase, Writer out) {
		long runId = latest(plan, phase);
		try {
			writeCsv(plan, phase, runId, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A field of {@code mapping.csv}, which has always written an empty text as an empty
	 * field, like NULL.
	 */
	private static String field(String value) {
		return Csv.field((value == null || value.isEmpty()) ? null : value);
	}

	/**
	 * Every item of a run in its order, as the map stands: old key, status, the new key
	 * it maps to, the computed status and best score, candidates, who decided, the
	 * reason, then the old record's fields.
	 */
	private void writeCsv(String plan, String phase, long runId, Writer out) throws IOException {
		MappingRun run = run(runId);
		StringBuilder head = new StringBuilder(
				"old_key,status,new_key,computed_status,best_score,candidates," + "decided_by,reason");
		run.oldFields().forEach(field -> head.append(',').append(field("old_" + field)));
		out.write(head.append('\n').toString());
		this.jdbc.query(connection -> {
			PreparedStatement statement = connection.prepareStatement("SELECT " + ITEM_COLUMNS
					+ " FROM mapping_items i LEFT JOIN mapping_decisions d ON d.plan = ? AND d.phase = ? "
					+ "AND d.old_key = i.old_key WHERE i.run_id = ? ORDER BY i.run_id, i.seq");
			statement.setFetchSize(1000);
			statement.setString(1, plan);
			statement.setString(2, phase);
			statement.setLong(3, runId);
			return statement;
		}, (RowCallbackHandler) rs -> {
			MappingItem item = item(rs, 0);
			StringBuilder line = new StringBuilder(128);
			line.append(field(item.oldKey()))
				.append(',')
				.append(item.status().code())
				.append(',')
				.append(field(item.newKey()))
				.append(',')
				.append(item.computed().code())
				.append(',')
				.append(item.bestScore() == null ? "" : String.format(Locale.ROOT, "%.4f", item.bestScore()))
				.append(',')
				.append(item.candidateCount());
			boolean standing = item.decision() != null && item.decision().status() != null && !item.decision().stale();
			line.append(',').append(field(standing ? item.decision().decidedBy() : null));
			line.append(',').append(field(standing ? item.decision().reason() : null));
			for (String value : item.old()) {
				line.append(',').append(field(value));
			}
			try {
				out.write(line.append('\n').toString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<String> pickedNewKeys(String plan, String phase) {
		return this.store.sql("""
				SELECT DISTINCT new_key FROM mapping_decisions
				WHERE plan = ? AND phase = ? AND status = 'manual' AND NOT stale
				""").params(plan, phase).query(String.class).list();
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	@Transactional
	public int flagStale(String plan, String phase, List<String> missingNewKeys, long runId) {
		Timestamp now = Timestamp.from(this.clock.instant());
		int flagged = 0;
		// set-based, a chunk of keys at a time: the history first, while the picks stand
		for (int from = 0; from < missingNewKeys.size(); from += STALE_CHUNK) {
			List<String> keys = missingNewKeys.subList(from, Math.min(missingNewKeys.size(), from + STALE_CHUNK));
			String in = String.join(", ", java.util.Collections.nCopies(keys.size(), "?"));
			List<Object> params = new ArrayList<>(
					List.of("Dry run #" + runId + " no longer has the picked record.", now, plan, phase));
			params.addAll(keys);
			int recorded = this.store.sql("""
					INSERT INTO mapping_decision_history (plan, phase, old_key, action, status, new_key, reason, actor,
					at, version) SELECT plan, phase, old_key, 'stale', 'manual', new_key, ?, 'ferry-system', ?,
					version + 1 FROM mapping_decisions
					WHERE plan = ? AND phase = ? AND status = 'manual' AND NOT stale AND new_key IN (""" + in + ")")
				.params(params)
				.update();
			List<Object> update = new ArrayList<>(List.of(plan, phase));
			update.addAll(keys);
			int updated = this.store.sql("""
					UPDATE mapping_decisions SET stale = TRUE, version = version + 1
					WHERE plan = ? AND phase = ? AND status = 'manual' AND NOT stale AND new_key IN (""" + in + ")")
				.params(update)
				.update();
			if (updated != recorded) {
				throw new IllegalStateException("Flagging stale picks recorded " + recorded + " but flagged " + updated
						+ "; it was rolled back.");
			}
			flagged += updated;
		}
		if (flagged > 0) {
			this.events.publishEvent(new DecisionsChanged(plan, phase, flagged, "flagged-stale", null,
					"picks whose new record is gone, found by dry run #" + runId));
		}
		return flagged;
	}

	// --- reading ----------------------------------------------------------------------

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public MappingRun run(long runId) {
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

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<MappingTotals> totals(long runId) {
		return this.store.sql("""
				SELECT old_rows, new_rows, items_auto, items_ambiguous, items_unresolved, items_conflict, histogram_json
				FROM mapping_runs WHERE run_id = ? AND sealed_at IS NOT NULL
				""")
			.param(runId)
			.query((rs, row) -> new MappingTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
					rs.getLong(5), rs.getLong(6), this.json.readValue(rs.getString(7), LONGS)))
			.optional();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<Long> latestRun(String plan, String phase) {
		return this.store.sql("""
				SELECT max(run_id) FROM mapping_runs WHERE plan = ? AND phase = ? AND sealed_at IS NOT NULL
				""").params(plan, phase).query((rs, row) -> rs.getObject(1) == null ? null : rs.getLong(1)).optional();
	}

	private long latest(String plan, String phase) {
		return latestRun(plan, phase).orElseThrow(() -> new NotFoundException("mapping.noDryRun",
				"Phase " + phase + " of plan " + plan + " has no finished dry run yet.", phase, plan));
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public MappingPage items(String plan, String phase, Queue queue, String query, String after, int limit) {
		if (limit < 1 || limit > MAX_PAGE) {
			throw new InvalidException("limit", "page.limit", "limit must be between 1 and " + MAX_PAGE + ".", 1,
					MAX_PAGE);
		}
		long runId = latest(plan, phase);
		List<Object> params = new ArrayList<>(List.of(plan, phase, runId));
		StringBuilder sql = new StringBuilder("SELECT ").append(ITEM_COLUMNS);
		String search = (query == null || query.isBlank()) ? null
				: "%" + likeEscape(query.strip().toLowerCase(Locale.ROOT)) + "%";
		if (queue == Queue.DECIDED) {
			// driven by the decisions (few), in old key order
			sql.append(" FROM mapping_decisions d JOIN mapping_items i ON i.run_id = ? AND i.old_key = d.old_key ")
				.append("WHERE d.plan = ? AND d.phase = ? AND d.status IS NOT NULL AND NOT d.stale");
			params = new ArrayList<>(List.of(runId, plan, phase));
			if (after != null) {
				sql.append(" AND d.old_key > ?");
				params.add(after);
			}
			if (search != null) {
				sql.append(" AND i.search_text LIKE ? ESCAPE '!'");
				params.add(search);
			}
			sql.append(" ORDER BY d.plan, d.phase, d.old_key LIMIT ?");
		}
		else {
			// every item, or one computed status's, in the dry run's order
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
			if (after != null) {
				sql.append(" AND i.seq > ?");
				params.add(cursor(after));
			}
			if (search != null) {
				sql.append(" AND i.search_text LIKE ? ESCAPE '!'");
				params.add(search);
			}
			// the index's leading columns, so H2 reads it in order and stops
			sql.append((queue == Queue.ALL) ? " ORDER BY i.run_id, i.seq LIMIT ?"
					: " ORDER BY i.run_id, i.status, i.seq LIMIT ?");
		}
		params.add(limit + 1);
		List<MappingItem> items = this.store.sql(sql.toString()).params(params).query(this::item).list();
		String next = null;
		if (items.size() > limit) {
			items = items.subList(0, limit);
			MappingItem last = items.get(limit - 1);
			next = (queue == Queue.DECIDED) ? last.oldKey() : String.valueOf(last.seq());
		}
		return new MappingPage(items, next);
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

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public MappingItem item(String plan, String phase, String oldKey) {
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

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<MappingItem> nextOpen(String plan, String phase, Queue queue, long afterSeq) {
		if (queue.computed() == null || queue == Queue.AUTO) {
			return Optional.empty();
		}
		MappingPage page = items(plan, phase, queue, null, String.valueOf(afterSeq), 1);
		if (!page.items().isEmpty()) {
			return Optional.of(page.items().get(0));
		}
		// wrap around: items skipped before this one
		page = items(plan, phase, queue, null, null, 1);
		return page.items().stream().findFirst();
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public Optional<Coverage> coverage(String plan, String phase) {
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

	// --- decisions ------------------------------------------------------------------

	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	@Transactional
	public MappingItem decide(String plan, String phase, String oldKey, DecisionCommand command) {
		this.lifecycle.require(plan, phase, Action.DECIDE);
		MappingItem item = item(plan, phase, oldKey);
		MappingPhase spec = this.newRecords.phase(plan, phase);
		String reason = (command.reason() == null || command.reason().isBlank()) ? null : command.reason().strip();
		if (command.status() == MatchStatus.MANUAL) {
			if (command.newKey() == null || command.newKey().isBlank()) {
				throw new InvalidException("newKey", "mapping.decision.newKeyRequired",
						"A manual decision names the new record it maps to (newKey).");
			}
			String key = command.newKey().strip();
			boolean candidate = item.candidates().stream().anyMatch(c -> c.newKey().equals(key));
			if (!candidate && this.newRecords.byKey(plan, spec, key).isEmpty()) {
				throw new InvalidException("newKey", "mapping.decision.noSuchNewRecord",
						"There is no new record " + key + " to map old record " + oldKey + " to.", key, oldKey);
			}
		}
		else if (command.status() == MatchStatus.EXCLUDED) {
			if (reason == null) {
				throw new InvalidException("reason", "mapping.decision.reasonRequired",
						"Saying that an item has no match needs a reason.");
			}
			if (command.newKey() != null) {
				throw new InvalidException("newKey", "mapping.decision.excludedNoKey",
						"An excluded item maps to nothing: leave newKey out.");
			}
		}
		else {
			throw new InvalidException("status", "mapping.decision.status",
					"A decision is manual (a new record picked) or excluded (no match), not " + command.status() + ".",
					String.valueOf(command.status()));
		}
		if (reason != null && reason.length() > 1000) {
			throw new InvalidException("reason", "mapping.decision.reasonTooLong",
					"A reason has at most 1,000 characters.");
		}
		stale(item, command.version(), plan, phase);
		String actor = CurrentUser.get().map(CurrentUser::username).orElse("unknown");
		Instant now = this.clock.instant();
		String newKey = (command.status() == MatchStatus.MANUAL) ? command.newKey().strip() : null;
		if (newKey != null && spec.uniqueNew()) {
			refuseTaken(plan, phase, item, newKey);
		}
		long version = command.version() + 1;
		if (command.version() == 0) {
			try {
				this.store.sql("""
						INSERT INTO mapping_decisions (plan, phase, old_key, status, new_key, reason, stale, decided_by,
						decided_at, version) VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?, 1)
						""")
					.params(plan, phase, oldKey, command.status().code(), newKey, reason, actor, Timestamp.from(now))
					.update();
			}
			catch (DuplicateKeyException ex) {
				// someone decided between our read and our write
				throw alreadyDecided(item(plan, phase, oldKey));
			}
		}
		else {
			int updated = this.store.sql("""
					UPDATE mapping_decisions SET status = ?, new_key = ?, reason = ?, stale = FALSE, decided_by = ?,
					decided_at = ?, version = version + 1 WHERE plan = ? AND phase = ? AND old_key = ? AND version = ?
					""")
				.params(command.status().code(), newKey, reason, actor, Timestamp.from(now), plan, phase, oldKey,
						command.version())
				.update();
			if (updated != 1) {
				throw alreadyDecided(item(plan, phase, oldKey));
			}
		}
		history(plan, phase, oldKey, "decided", command.status(), newKey, reason, actor, now, version);
		this.lifecycle.approvalsVoided(plan, phase, "the decisions changed after they were given");
		this.events.publishEvent(new DecisionsChanged(plan, phase, 1, "decided", oldKey, command.status().code()
				+ (newKey != null ? " → " + newKey : "") + (reason != null ? " (" + reason + ")" : "")));
		return item(plan, phase, oldKey);
	}

	/**
	 * The open items of a queue whose best candidate scores at least {@code minScore} and
	 * is ahead of the second (a tie at the top is left for a person).
	 */
	private static final String BULK_ITEMS = """
			FROM mapping_items i LEFT JOIN mapping_decisions d ON d.plan = ? AND d.phase = ? AND d.old_key = i.old_key
			WHERE i.run_id = ? AND i.status = ? AND i.best_new_key IS NOT NULL AND i.best_score >= ?
			AND (i.second_score IS NULL OR i.best_score > i.second_score + 1e-9)
			AND (d.status IS NULL OR d.stale)
			""";

	/**
	 * With {@code unique-new}, also leaves alone an item whose best candidate another
	 * item has as its best too, or a reviewer picked for another item.
	 */
	private static final String BULK_UNIQUE = """
			AND NOT EXISTS (SELECT 1 FROM mapping_new_keys o WHERE o.run_id = i.run_id AND o.new_key = i.best_new_key
			AND o.old_key <> i.old_key AND o.status IN ('auto', 'ambiguous', 'conflict'))
			AND NOT EXISTS (SELECT 1 FROM mapping_decisions m JOIN mapping_runs r ON r.run_id = i.run_id
			WHERE m.plan = r.plan AND m.phase = r.phase AND m.status = 'manual' AND NOT m.stale
			AND m.new_key = i.best_new_key)
			""";

	private String bulkItems(String plan, String phase) {
		return this.newRecords.phase(plan, phase).uniqueNew() ? BULK_ITEMS + BULK_UNIQUE : BULK_ITEMS;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public BulkPreview bulkPreview(String plan, String phase, Queue queue, double minScore) {
		bulkQueue(queue);
		bulkScore(minScore);
		long runId = latest(plan, phase);
		double threshold = minScore - MatchRules.EPSILON;
		String items = bulkItems(plan, phase);
		long accepted = this.store.sql("SELECT count(*) " + items)
			.params(plan, phase, runId, queue.computed().code(), threshold)
			.query(Long.class)
			.single();
		long tied = this.store.sql("""
				SELECT count(*) FROM mapping_items i LEFT JOIN mapping_decisions d ON d.plan = ? AND d.phase = ?
				AND d.old_key = i.old_key WHERE i.run_id = ? AND i.status = ? AND i.best_new_key IS NOT NULL
				AND i.best_score >= ? AND i.second_score IS NOT NULL AND i.best_score <= i.second_score + 1e-9
				AND (d.status IS NULL OR d.stale)
				""").params(plan, phase, runId, queue.computed().code(), threshold).query(Long.class).single();
		return new BulkPreview(queue, minScore, accepted, tied);
	}

	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	@Transactional
	public long bulkAccept(String plan, String phase, Queue queue, double minScore, long expected) {
		this.lifecycle.require(plan, phase, Action.DECIDE);
		bulkQueue(queue);
		bulkScore(minScore);
		long runId = latest(plan, phase);
		double threshold = minScore - MatchRules.EPSILON;
		String items = bulkItems(plan, phase);
		String actor = CurrentUser.get().map(CurrentUser::username).orElse("unknown");
		Timestamp now = Timestamp.from(this.clock.instant());
		String reason = String.format(Locale.ROOT, "bulk accept: best candidate, score at least %.2f", minScore);
		String code = queue.computed().code();
		// the history first, while the items are still open
		int recorded = this.store.sql("""
				INSERT INTO mapping_decision_history (plan, phase, old_key, action, status, new_key, reason, actor,
				at, version) SELECT ?, ?, i.old_key, 'decided', 'manual', i.best_new_key, ?, ?, ?,
				COALESCE(d.version, 0) + 1
				""" + items).params(plan, phase, reason, actor, now, plan, phase, runId, code, threshold).update();
		if (recorded != expected) {
			throw new RefusedException("mapping.bulkChanged",
					String.format(Locale.ROOT,
							"The preview said %,d item(s), but %,d match now (someone decided meanwhile, or a dry run "
									+ "finished): nothing was accepted. Preview again.",
							expected, recorded),
					expected, recorded);
		}
		int updated = this.store.sql("""
				UPDATE mapping_decisions SET status = 'manual', new_key = (SELECT i.best_new_key FROM mapping_items i
				WHERE i.run_id = ? AND i.old_key = mapping_decisions.old_key), reason = ?, stale = FALSE,
				decided_by = ?, decided_at = ?, version = version + 1
				WHERE plan = ? AND phase = ? AND (status IS NULL OR stale) AND old_key IN (SELECT i.old_key
				""" + items + ")")
			.params(runId, reason, actor, now, plan, phase, plan, phase, runId, code, threshold)
			.update();
		int inserted = this.store.sql("""
				INSERT INTO mapping_decisions (plan, phase, old_key, status, new_key, reason, stale, decided_by,
				decided_at, version) SELECT ?, ?, i.old_key, 'manual', i.best_new_key, ?, FALSE, ?, ?, 1
				""" + items + " AND d.old_key IS NULL")
			.params(plan, phase, reason, actor, now, plan, phase, runId, code, threshold)
			.update();
		if (updated + inserted != recorded) {
			throw new IllegalStateException("A bulk accept decided " + (updated + inserted) + " item(s) of the "
					+ recorded + " it recorded; it was rolled back.");
		}
		if (recorded > 0) {
			this.lifecycle.approvalsVoided(plan, phase, "the decisions changed after they were given");
			this.events.publishEvent(new DecisionsChanged(plan, phase, recorded, "bulk-accepted", null, reason));
		}
		return recorded;
	}

	private static void bulkScore(double minScore) {
		if (!(minScore >= 0 && minScore <= 1)) {
			throw new InvalidException("bulkScore", "mapping.bulk.score",
					"The score is between 0 and 1, not " + minScore + ".", minScore);
		}
	}

	private static void bulkQueue(Queue queue) {
		if (queue.computed() == null || !queue.computed().open()) {
			throw new InvalidException("status", "mapping.bulk.queue",
					"A bulk accept works on an open queue: ambiguous or conflict.", queue.code());
		}
	}

	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	@Transactional
	public MappingItem undo(String plan, String phase, String oldKey, long version) {
		this.lifecycle.require(plan, phase, Action.DECIDE);
		MappingItem item = item(plan, phase, oldKey);
		stale(item, version, plan, phase);
		if (item.decision() == null || item.decision().status() == null) {
			throw new RefusedException("mapping.nothingToUndo",
					"Old record " + oldKey + " has no decision to undo: it is " + item.status().code() + ".", oldKey,
					item.status().code());
		}
		int updated = this.store.sql("""
				UPDATE mapping_decisions SET status = NULL, new_key = NULL, reason = NULL, stale = FALSE,
				version = version + 1 WHERE plan = ? AND phase = ? AND old_key = ? AND version = ?
				""").params(plan, phase, oldKey, version).update();
		if (updated != 1) {
			throw alreadyDecided(item(plan, phase, oldKey));
		}
		String actor = CurrentUser.get().map(CurrentUser::username).orElse("unknown");
		history(plan, phase, oldKey, "undone", null, null, null, actor, this.clock.instant(), version + 1);
		this.lifecycle.approvalsVoided(plan, phase, "the decisions changed after they were given");
		this.events.publishEvent(new DecisionsChanged(plan, phase, 1, "undone", oldKey, null));
		return item(plan, phase, oldKey);
	}

	/**
	 * With {@code unique-new}, a new record maps at most one old record: refuses a pick
	 * of a record another old record already maps to (picked, or {@code auto}).
	 */
	private void refuseTaken(String plan, String phase, MappingItem item, String newKey) {
		List<String> picked = this.store.sql("""
				SELECT old_key FROM mapping_decisions WHERE plan = ? AND phase = ? AND status = 'manual' AND NOT stale
				AND new_key = ? AND old_key <> ?
				""").params(plan, phase, newKey, item.oldKey()).query(String.class).list();
		List<String> auto = this.store.sql("""
				SELECT i.old_key FROM mapping_new_keys k JOIN mapping_items i ON i.run_id = k.run_id
				AND i.old_key = k.old_key LEFT JOIN mapping_decisions d ON d.plan = ? AND d.phase = ?
				AND d.old_key = i.old_key WHERE k.run_id = ? AND k.new_key = ? AND i.status = 'auto'
				AND i.old_key <> ? AND (d.status IS NULL OR d.stale)
				""").params(plan, phase, item.runId(), newKey, item.oldKey()).query(String.class).list();
		if (!picked.isEmpty() || !auto.isEmpty()) {
			String other = !picked.isEmpty() ? picked.get(0) : auto.get(0);
			String how = !picked.isEmpty() ? "a reviewer mapped it there" : "the rules mapped it there";
			throw new RefusedException("mapping.newKeyTaken",
					"Phase " + phase + " maps each new record to one old "
							+ "record at most (unique-new), and new record " + newKey
							+ " is already the map of old record " + other + " (" + how + "). Change that one first.",
					newKey, other, how);
		}
	}

	/**
	 * Refuses a command made against another version of the item than the current one.
	 */
	private static void stale(MappingItem item, long version, String plan, String phase) {
		if (item.version() != version) {
			throw alreadyDecided(item);
		}
	}

	private static RefusedException alreadyDecided(MappingItem item) {
		Decision decision = item.decision();
		String what;
		if (decision == null || decision.status() == null) {
			what = "its decision was undone meanwhile; it is " + item.status().code() + " again";
		}
		else if (decision.status() == MatchStatus.MANUAL) {
			what = decision.decidedBy() + " mapped it to " + decision.newKey() + " meanwhile";
		}
		else {
			what = decision.decidedBy() + " marked it as having no match meanwhile (" + decision.reason() + ")";
		}
		return new RefusedException("mapping.alreadyDecided",
				"Old record " + item.oldKey() + " changed since you opened it: " + what + ". Nothing was overwritten.",
				item.oldKey(), what);
	}

	private void history(String plan, String phase, String oldKey, String action, MatchStatus status, String newKey,
			String reason, String actor, Instant at, long version) {
		this.store.sql("""
				INSERT INTO mapping_decision_history (plan, phase, old_key, action, status, new_key, reason, actor, at,
				version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(plan, phase, oldKey, action, status == null ? null : status.code(), newKey, reason, actor,
					Timestamp.from(at), version)
			.update();
	}

	@Override
	@PreAuthorize("hasRole('REVIEWER')")
	@Transactional(readOnly = true)
	public List<Candidate> search(String plan, String phase, String query, String oldKey, int limit) {
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
		List<Candidate> found = new ArrayList<>();
		for (MatchRecord record : this.newRecords.search(plan, spec, query, limit)) {
			found.add(old != null ? rules.score(old, record) : new Candidate(record.key(), 0,
					java.util.Collections.nCopies(spec.tieBreakers().size(), 0.0), record.values()));
		}
		if (old != null) {
			found.sort(java.util.Comparator.comparingDouble(Candidate::score).reversed());
		}
		return found;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public String decisionsSha256(String plan, String phase) {
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

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<HistoryEntry> history(String plan, String phase, String oldKey) {
		return this.store.sql("""
				SELECT action, status, new_key, reason, actor, at, version FROM mapping_decision_history
				WHERE plan = ? AND phase = ? AND old_key = ? ORDER BY id
				""")
			.params(plan, phase, oldKey)
			.query((rs, row) -> new HistoryEntry(rs.getString(1), MatchStatus.of(rs.getString(2)).orElse(null),
					rs.getString(3), rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getLong(7)))
			.list();
	}

	private MappingItem item(ResultSet rs, int row) throws SQLException {
		double best = rs.getDouble(6);
		Double bestScore = rs.wasNull() ? null : best;
		String candidates = rs.getString(9);
		Decision decision = null;
		long version = 0;
		if (rs.getObject(16) != null) {
			version = rs.getLong(16);
			Timestamp at = rs.getTimestamp(14);
			decision = new Decision(MatchStatus.of(rs.getString(10)).orElse(null), rs.getString(11), rs.getString(12),
					rs.getString(13), at == null ? null : at.toInstant(), rs.getBoolean(15));
		}
		return new MappingItem(rs.getLong(1), rs.getLong(2), rs.getString(3),
				this.json.readValue(rs.getString(4), TEXTS), MatchStatus.of(rs.getString(5)).orElseThrow(), bestScore,
				rs.getString(7), rs.getInt(8),
				candidates == null ? List.of() : this.json.readValue(candidates, CANDIDATES), decision, version);
	}

}
