package dev.ferry.mapping.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.mapping.BulkPreview;
import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.Decision;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.DecisionsChanged;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MatchRules;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Queue;
import dev.ferry.mapping.QueueFilter;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.CurrentUser;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records reviewers' decisions with their history: one item's decision and its undo
 * (refused when made against another version of the item or, with {@code unique-new}, a
 * new record already taken) and the bulk accept of a queue's best candidates.
 */
@Component
class MappingDecisions {

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

	private final JdbcClient store;

	private final Clock clock;

	private final NewRecords newRecords;

	private final ApplicationEventPublisher events;

	private final PhaseLifecycle lifecycle;

	private final MappingQueries queries;

	private final JsonMapper json;

	private static final TypeReference<List<String>> TEXTS = new TypeReference<>() {
	};

	private static final TypeReference<List<Candidate>> CANDIDATES = new TypeReference<>() {
	};

	MappingDecisions(JdbcClient store, Clock clock, NewRecords newRecords, ApplicationEventPublisher events,
			PhaseLifecycle lifecycle, MappingQueries queries, JsonMapper json) {
		this.json = json;
		this.store = store;
		this.clock = clock;
		this.newRecords = newRecords;
		this.events = events;
		this.lifecycle = lifecycle;
		this.queries = queries;
	}

	MappingItem decide(String plan, String phase, String oldKey, DecisionCommand command) {
		this.lifecycle.require(plan, phase, Action.DECIDE);
		MappingItem item = this.queries.item(plan, phase, oldKey);
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
				throw alreadyDecided(this.queries.item(plan, phase, oldKey));
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
				throw alreadyDecided(this.queries.item(plan, phase, oldKey));
			}
		}
		history(plan, phase, oldKey, "decided", command.status(), newKey, reason, actor, now, version);
		// the decider's claim on the item ends with the decision
		this.store.sql("DELETE FROM mapping_claims WHERE plan = ? AND phase = ? AND old_key = ? AND claimed_by = ?")
			.params(plan, phase, oldKey, actor)
			.update();
		this.lifecycle.approvalsVoided(plan, phase, "the decisions changed after they were given");
		this.events.publishEvent(new DecisionsChanged(plan, phase, 1, "decided", oldKey, command.status().code()
				+ (newKey != null ? " → " + newKey : "") + (reason != null ? " (" + reason + ")" : "")));
		return this.queries.item(plan, phase, oldKey);
	}

	MappingItem undo(String plan, String phase, String oldKey, long version) {
		this.lifecycle.require(plan, phase, Action.DECIDE);
		MappingItem item = this.queries.item(plan, phase, oldKey);
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
			throw alreadyDecided(this.queries.item(plan, phase, oldKey));
		}
		String actor = CurrentUser.get().map(CurrentUser::username).orElse("unknown");
		history(plan, phase, oldKey, "undone", null, null, null, actor, this.clock.instant(), version + 1);
		this.lifecycle.approvalsVoided(plan, phase, "the decisions changed after they were given");
		this.events.publishEvent(new DecisionsChanged(plan, phase, 1, "undone", oldKey, null));
		return this.queries.item(plan, phase, oldKey);
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

	/**
	 * The items a bulk accept decides: {@link #BULK_ITEMS} (and {@link #BULK_UNIQUE})
	 * narrowed by the filter's search and facets, with their parameters. The preview's
	 * count, its list and the accept all read these same conditions.
	 */
	private Bulk bulkItems(String plan, String phase, Queue queue, double minScore, QueueFilter filter) {
		bulkQueue(queue);
		bulkScore(minScore);
		long runId = this.queries.latest(plan, phase);
		StringBuilder sql = new StringBuilder(
				this.newRecords.phase(plan, phase).uniqueNew() ? BULK_ITEMS + BULK_UNIQUE : BULK_ITEMS);
		List<Object> params = new ArrayList<>(
				List.of(plan, phase, runId, queue.computed().code(), minScore - MatchRules.EPSILON));
		this.queries.conditions(filter, this.queries.run(runId), null, sql, params);
		return new Bulk(runId, sql.toString(), params);
	}

	/** The items of a bulk accept: from {@code FROM} on, and the parameters. */
	private record Bulk(long runId, String sql, List<Object> params) {

		/** These parameters after others. */
		List<Object> after(Object... first) {
			List<Object> all = new ArrayList<>(List.of(first));
			all.addAll(this.params);
			return all;
		}

	}

	BulkPreview bulkPreview(String plan, String phase, Queue queue, double minScore, QueueFilter filter) {
		Bulk bulk = bulkItems(plan, phase, queue, minScore, filter);
		long accepted = this.store.sql("SELECT count(*) " + bulk.sql())
			.params(bulk.params())
			.query(Long.class)
			.single();
		StringBuilder tiedSql = new StringBuilder("""
				SELECT count(*) FROM mapping_items i LEFT JOIN mapping_decisions d ON d.plan = ? AND d.phase = ?
				AND d.old_key = i.old_key WHERE i.run_id = ? AND i.status = ? AND i.best_new_key IS NOT NULL
				AND i.best_score >= ? AND i.second_score IS NOT NULL AND i.best_score <= i.second_score + 1e-9
				AND (d.status IS NULL OR d.stale)
				""");
		List<Object> tiedParams = new ArrayList<>(
				List.of(plan, phase, bulk.runId(), queue.computed().code(), minScore - MatchRules.EPSILON));
		this.queries.conditions(filter, this.queries.run(bulk.runId()), null, tiedSql, tiedParams);
		long tied = this.store.sql(tiedSql.toString()).params(tiedParams).query(Long.class).single();
		List<BulkPreview.Listed> listed = this.store
			.sql("SELECT i.old_key, i.old_values, i.best_new_key, i.best_score, i.candidates_json " + bulk.sql()
					+ " ORDER BY i.run_id, i.status, i.seq LIMIT " + BulkPreview.LISTED)
			.params(bulk.params())
			.query((rs, row) -> {
				List<String> old = this.json.readValue(rs.getString(2), TEXTS);
				String newKey = rs.getString(3);
				List<Candidate> candidates = this.json.readValue(rs.getString(5), CANDIDATES);
				List<String> record = candidates.stream()
					.filter(candidate -> candidate.newKey().equals(newKey))
					.findFirst()
					.map(Candidate::record)
					.orElse(List.of());
				return new BulkPreview.Listed(rs.getString(1), old, newKey, record, rs.getDouble(4));
			})
			.list();
		return new BulkPreview(queue, minScore, accepted, tied, filter, listed);
	}

	long bulkAccept(String plan, String phase, Queue queue, double minScore, QueueFilter filter, long expected) {
		this.lifecycle.require(plan, phase, Action.DECIDE);
		Bulk bulk = bulkItems(plan, phase, queue, minScore, filter);
		String actor = CurrentUser.get().map(CurrentUser::username).orElse("unknown");
		Timestamp now = Timestamp.from(this.clock.instant());
		String within = filter.describe();
		String reason = String.format(Locale.ROOT, "bulk accept: best candidate, score at least %.2f", minScore)
				+ (within.isEmpty() ? "" : " (" + within + ")");
		if (reason.length() > 1000) {
			reason = reason.substring(0, 999) + "…";
		}
		// the history first, while the items are still open
		int recorded = this.store.sql("""
				INSERT INTO mapping_decision_history (plan, phase, old_key, action, status, new_key, reason, actor,
				at, version) SELECT ?, ?, i.old_key, 'decided', 'manual', i.best_new_key, ?, ?, ?,
				COALESCE(d.version, 0) + 1
				""" + bulk.sql()).params(bulk.after(plan, phase, reason, actor, now)).update();
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
				""" + bulk.sql() + ")").params(bulk.after(bulk.runId(), reason, actor, now, plan, phase)).update();
		int inserted = this.store.sql("""
				INSERT INTO mapping_decisions (plan, phase, old_key, status, new_key, reason, stale, decided_by,
				decided_at, version) SELECT ?, ?, i.old_key, 'manual', i.best_new_key, ?, FALSE, ?, ?, 1
				""" + bulk.sql() + " AND d.old_key IS NULL")
			.params(bulk.after(plan, phase, reason, actor, now))
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

}
