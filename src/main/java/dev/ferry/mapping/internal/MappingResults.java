package dev.ferry.mapping.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.mapping.DecisionsChanged;
import dev.ferry.mapping.MappingTotals;
import dev.ferry.mapping.MatchedItem;
import dev.ferry.mapping.NewMappingRun;
import dev.ferry.plan.spec.Normalization;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes a mapping dry run's results: the run, its items, the seal with its reports, and
 * the picks its new records no longer have.
 */
@Component
class MappingResults {

	/** Picked new keys flagged stale per statement. */
	static final int STALE_CHUNK = 500;

	private final JdbcClient store;

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	private final Clock clock;

	private final MappingReports reports;

	private final ApplicationEventPublisher events;

	MappingResults(JdbcClient store, JdbcTemplate jdbc, JsonMapper json, Clock clock, MappingReports reports,
			ApplicationEventPublisher events) {
		this.store = store;
		this.jdbc = jdbc;
		this.json = json;
		this.clock = clock;
		this.reports = reports;
		this.events = events;
	}

	void begin(NewMappingRun run) {
		this.store.sql("""
				INSERT INTO mapping_runs (run_id, plan, plan_version, phase, old_table, new_table, old_fields_json,
				new_fields_json, weights_json, unique_new, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(run.runId(), run.plan(), run.planVersion(), run.phase(), run.oldTable(), run.newTable(),
					this.json.writeValueAsString(run.oldFields()), this.json.writeValueAsString(run.newFields()),
					this.json.writeValueAsString(run.weights()), run.uniqueNew(), Timestamp.from(this.clock.instant()))
			.update();
	}

	void append(long runId, long firstSeq, List<MatchedItem> items) {
		appendRows(runId, firstSeq, items.stream().map(ItemRow::of).toList());
	}

	/** Inserts the rows of a run's items, numbered from {@code firstSeq}. */
	void appendRows(long runId, long firstSeq, List<ItemRow> rows) {
		if (rows.isEmpty()) {
			return;
		}
		boolean uniqueNew = this.store.sql("SELECT unique_new FROM mapping_runs WHERE run_id = ?")
			.param(runId)
			.query(Boolean.class)
			.single();
		this.jdbc.batchUpdate("""
				INSERT INTO mapping_items (run_id, seq, old_key, status, best_score, best_new_key, second_score,
				candidate_count, old_values, candidates_json, search_text, suggestions_json, best_differs, block_prefix)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", new BatchPreparedStatementSetter() {

			@Override
			public void setValues(PreparedStatement statement, int i) throws SQLException {
				ItemRow row = rows.get(i);
				statement.setLong(1, runId);
				statement.setLong(2, firstSeq + i);
				statement.setString(3, row.oldKey());
				statement.setString(4, row.status());
				if (row.bestScore() == null) {
					statement.setNull(5, java.sql.Types.DOUBLE);
				}
				else {
					statement.setDouble(5, row.bestScore());
				}
				statement.setString(6, row.bestNewKey());
				if (row.secondScore() == null) {
					statement.setNull(7, java.sql.Types.DOUBLE);
				}
				else {
					statement.setDouble(7, row.secondScore());
				}
				statement.setInt(8, row.candidateCount());
				statement.setString(9, row.oldValues());
				statement.setString(10, row.candidates());
				statement.setString(11, row.searchText());
				statement.setString(12, row.suggestions());
				statement.setString(13, row.bestDiffers());
				statement.setString(14, row.blockPrefix());
			}

			@Override
			public int getBatchSize() {
				return rows.size();
			}

		});
		if (uniqueNew) {
			// which old records have a new record as their best: what unique-new checks
			List<ItemRow> best = rows.stream().filter(row -> row.bestNewKey() != null).toList();
			this.jdbc.batchUpdate("INSERT INTO mapping_new_keys (run_id, new_key, old_key, status) VALUES (?, ?, ?, ?)",
					best, 1000, (statement, row) -> {
						statement.setLong(1, runId);
						statement.setString(2, row.bestNewKey());
						statement.setString(3, row.oldKey());
						statement.setString(4, row.status());
					});
		}
	}

	/**
	 * The tie-breakers on which the best candidate disagrees with the old record
	 * (agreement below 1), as indexes between bars ({@code |0|2|}); {@code |} when all
	 * agree; null without candidates. What the queue's "differs" facet matches with
	 * {@code LIKE '%|0|%'}.
	 */
	static String bestDiffers(MatchedItem item) {
		if (item.candidates().isEmpty()) {
			return null;
		}
		StringBuilder differs = new StringBuilder("|");
		List<Double> breakdown = item.candidates().get(0).breakdown();
		for (int i = 0; i < breakdown.size(); i++) {
			Double agreement = breakdown.get(i);
			if (agreement == null || agreement < 1.0 - 1e-9) {
				differs.append(i).append('|');
			}
		}
		return differs.length() > 400 ? null : differs.toString();
	}

	/**
	 * The first letter of the old record's block value, accents stripped, upper case;
	 * {@code #} when it starts with anything else; null without a block value.
	 */
	static String blockPrefix(MatchedItem item) {
		String value = item.old().values().isEmpty() ? null : item.old().blockValue();
		String normalized = (value == null) ? null : Normalization
			.apply(List.of(Normalization.TRIM, Normalization.STRIP_ACCENTS, Normalization.UPPER), value);
		if (normalized == null || normalized.isEmpty()) {
			return null;
		}
		char first = normalized.charAt(0);
		return (first >= 'A' && first <= 'Z') ? String.valueOf(first) : "#";
	}

	void discard(long runId) {
		this.store.sql("DELETE FROM mapping_new_keys WHERE run_id = ?").param(runId).update();
		this.store.sql("DELETE FROM mapping_items WHERE run_id = ?").param(runId).update();
		this.store.sql("DELETE FROM mapping_runs WHERE run_id = ?").param(runId).update();
	}

	void seal(long runId, MappingTotals totals) {
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
		this.reports.publish(runId, totals);
	}

	List<String> pickedNewKeys(String plan, String phase) {
		return this.store.sql("""
				SELECT DISTINCT new_key FROM mapping_decisions
				WHERE plan = ? AND phase = ? AND status = 'manual' AND NOT stale
				""").params(plan, phase).query(String.class).list();
	}

	int flagStale(String plan, String phase, List<String> missingNewKeys, long runId) {
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

}
