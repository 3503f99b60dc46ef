package dev.ferry.run.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import dev.ferry.run.RunCounts;
import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/** The run tables of Ferry's store, through set-based statements. */
@Component
class RunRows {

	private static final String COLUMNS = """
			id, plan, plan_version, phase, kind, mode, state, requested_by, requested_at, started_at, finished_at,
			progress_done, progress_total, rows_read, rows_inserted, rows_updated, rows_unchanged, rows_deleted,
			rows_rejected, conflicts, change_set_sha256, error, cancel_requested, applies_run, rolls_back
			""";

	private final JdbcClient jdbc;

	RunRows(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	long insert(String plan, int version, String phase, String kind, RunMode mode, String requestedBy, Instant now) {
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("""
				INSERT INTO runs (plan, plan_version, phase, kind, mode, state, requested_by, requested_at)
				VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)
				""").params(plan, version, phase, kind, mode.code(), requestedBy, utc(now)).update(keys, "id");
		return keys.getKeyAs(Number.class).longValue();
	}

	void rollsBack(long rollbackRunId, long applyRunId) {
		this.jdbc.sql("UPDATE runs SET rolls_back = ? WHERE id = ?").params(applyRunId, rollbackRunId).update();
	}

	/** The dry run whose change set an apply replays. */
	void appliesRun(long applyRunId, long dryRunId) {
		this.jdbc.sql("UPDATE runs SET applies_run = ? WHERE id = ?").params(dryRunId, applyRunId).update();
	}

	Optional<Long> appliesRun(long applyRunId) {
		return this.jdbc.sql("SELECT applies_run FROM runs WHERE id = ?")
			.param(applyRunId)
			.query((rs, row) -> rs.getObject(1) == null ? null : rs.getLong(1))
			.optional();
	}

	/** A succeeded (not rolled back) apply of a dry run's change set, if there is one. */
	Optional<Long> appliedBy(long dryRunId) {
		return this.jdbc.sql("SELECT max(id) FROM runs WHERE applies_run = ? AND state = 'succeeded'")
			.param(dryRunId)
			.query((rs, row) -> rs.getObject(1) == null ? null : rs.getLong(1))
			.optional();
	}

	/** The apply a rollback run undoes. */
	Optional<Long> rollsBack(long rollbackRunId) {
		return this.jdbc.sql("SELECT rolls_back FROM runs WHERE id = ?")
			.param(rollbackRunId)
			.query((rs, row) -> rs.getObject(1) == null ? null : rs.getLong(1))
			.optional();
	}

	/** When a rollback run succeeds, the apply it undid is rolled back. */
	void markRolledBack(long rollbackRunId) {
		this.jdbc.sql("""
				UPDATE runs SET state = 'rolled-back'
				WHERE id = (SELECT r.rolls_back FROM runs r WHERE r.id = ?)
				""").param(rollbackRunId).update();
	}

	/** Takes the plan's run lock; false when another run of the plan holds it. */
	boolean lock(String plan, long runId) {
		try {
			this.jdbc.sql("INSERT INTO plan_run_locks (plan, run_id) VALUES (?, ?)").params(plan, runId).update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	void unlock(String plan, long runId) {
		this.jdbc.sql("DELETE FROM plan_run_locks WHERE plan = ? AND run_id = ?").params(plan, runId).update();
	}

	Optional<Long> lockHolder(String plan) {
		return this.jdbc.sql("SELECT run_id FROM plan_run_locks WHERE plan = ?")
			.param(plan)
			.query(Long.class)
			.optional();
	}

	Optional<RunView> find(long id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM runs WHERE id = ?").param(id).query(RunRows::view).optional();
	}

	List<RunView> ofPlan(String plan, Long before, int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM runs WHERE plan = ? AND id < ? ORDER BY id DESC LIMIT ?")
			.params(plan, before == null ? Long.MAX_VALUE : before, limit)
			.query(RunRows::view)
			.list();
	}

	Optional<RunView> latest(String plan, String phase, RunMode mode) {
		return this.jdbc
			.sql("SELECT " + COLUMNS + " FROM runs WHERE plan = ? AND phase = ? AND mode = ? ORDER BY id DESC LIMIT 1")
			.params(plan, phase, mode.code())
			.query(RunRows::view)
			.optional();
	}

	Optional<RunView> latestSucceeded(String plan, String phase, RunMode mode) {
		return this.jdbc
			.sql("SELECT " + COLUMNS + " FROM runs WHERE plan = ? AND phase = ? AND mode = ? AND state = 'succeeded' "
					+ "ORDER BY id DESC LIMIT 1")
			.params(plan, phase, mode.code())
			.query(RunRows::view)
			.optional();
	}

	/**
	 * The plan's newest apply after the given one that still stands (succeeded, not
	 * rolled back), of any phase.
	 */
	Optional<RunView> standingApplyAfter(String plan, long applyRunId) {
		return this.jdbc.sql("SELECT " + COLUMNS
				+ " FROM runs WHERE plan = ? AND mode = 'apply' AND state = 'succeeded' AND id > ? ORDER BY id DESC LIMIT 1")
			.params(plan, applyRunId)
			.query(RunRows::view)
			.optional();
	}

	void start(long id, Long total, Instant now) {
		this.jdbc.sql("""
				UPDATE runs SET state = 'running', started_at = COALESCE(started_at, ?), progress_total = ?
				WHERE id = ?
				""").params(utc(now), total, id).update();
	}

	void progress(long id, long units, RunCounts counts) {
		this.jdbc.sql("""
				UPDATE runs SET progress_done = progress_done + ?, rows_read = rows_read + ?,
				  rows_inserted = rows_inserted + ?, rows_updated = rows_updated + ?,
				  rows_unchanged = rows_unchanged + ?, rows_deleted = rows_deleted + ?,
				  rows_rejected = rows_rejected + ?, conflicts = conflicts + ?
				WHERE id = ?
				""")
			.params(units, counts.read(), counts.inserted(), counts.updated(), counts.unchanged(), counts.deleted(),
					counts.rejected(), counts.conflicts(), id)
			.update();
	}

	void resetProgress(long id, Long total) {
		this.jdbc.sql("""
				UPDATE runs SET progress_done = 0, progress_total = ?, rows_read = 0, rows_inserted = 0,
				  rows_updated = 0, rows_unchanged = 0, rows_deleted = 0, rows_rejected = 0, conflicts = 0
				WHERE id = ?
				""").params(total, id).update();
	}

	void changeSet(long id, String sha256) {
		this.jdbc.sql("UPDATE runs SET change_set_sha256 = ? WHERE id = ?").params(sha256, id).update();
	}

	void finish(long id, RunState state, String error, Instant now) {
		this.jdbc.sql("UPDATE runs SET state = ?, error = ?, finished_at = ? WHERE id = ?")
			.params(state.code(), error == null ? null : truncate(error), utc(now), id)
			.update();
	}

	boolean requestCancel(long id) {
		return this.jdbc.sql("UPDATE runs SET cancel_requested = TRUE WHERE id = ? AND state IN ('queued', 'running')")
			.param(id)
			.update() == 1;
	}

	boolean cancelRequested(long id) {
		return this.jdbc.sql("SELECT cancel_requested FROM runs WHERE id = ?").param(id).query(Boolean.class).single();
	}

	/**
	 * The last committed batch: its number and the checkpoint the next one starts from.
	 */
	Optional<Batch> lastBatch(long id) {
		return this.jdbc.sql("""
				SELECT batch_no, checkpoint FROM run_batches WHERE run_id = ?
				ORDER BY batch_no DESC LIMIT 1
				""").param(id).query((rs, row) -> new Batch(rs.getInt(1), rs.getString(2))).optional();
	}

	void recordBatch(long id, int batchNo, String checkpoint, long units, Instant now) {
		this.jdbc.sql("""
				INSERT INTO run_batches (run_id, batch_no, checkpoint, units, committed_at) VALUES (?, ?, ?, ?, ?)
				""").params(id, batchNo, checkpoint, units, utc(now)).update();
	}

	void log(long id, String level, String message, Instant now) {
		this.jdbc.sql("INSERT INTO run_log (run_id, logged_at, level, message) VALUES (?, ?, ?, ?)")
			.params(id, utc(now), level, truncate(message))
			.update();
	}

	List<RunLogLine> log(long id) {
		return this.jdbc.sql("SELECT logged_at, level, message FROM run_log WHERE run_id = ? ORDER BY id")
			.param(id)
			.query((rs, row) -> new RunLogLine(instant(rs, 1), rs.getString(2), rs.getString(3)))
			.list();
	}

	void putResult(long id, String name, String json) {
		this.jdbc.sql("DELETE FROM run_results WHERE run_id = ? AND name = ?").params(id, name).update();
		this.jdbc.sql("INSERT INTO run_results (run_id, name, result_json) VALUES (?, ?, ?)")
			.params(id, name, json)
			.update();
	}

	Optional<String> result(long id, String name) {
		return this.jdbc.sql("SELECT result_json FROM run_results WHERE run_id = ? AND name = ?")
			.params(id, name)
			.query(String.class)
			.optional();
	}

	private static RunView view(ResultSet rs, int row) throws SQLException {
		long total = rs.getLong("progress_total");
		Long totalOrNull = rs.wasNull() ? null : total;
		return new RunView(rs.getLong("id"), rs.getString("plan"), rs.getInt("plan_version"), rs.getString("phase"),
				rs.getString("kind"), RunMode.of(rs.getString("mode")), RunState.of(rs.getString("state")),
				rs.getString("requested_by"), instant(rs, "requested_at"), instant(rs, "started_at"),
				instant(rs, "finished_at"), rs.getLong("progress_done"), totalOrNull,
				new RunCounts(rs.getLong("rows_read"), rs.getLong("rows_inserted"), rs.getLong("rows_updated"),
						rs.getLong("rows_unchanged"), rs.getLong("rows_deleted"), rs.getLong("rows_rejected"),
						rs.getLong("conflicts")),
				rs.getString("change_set_sha256"), rs.getString("error"), rs.getBoolean("cancel_requested"),
				rs.getObject("applies_run", Long.class), rs.getObject("rolls_back", Long.class));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static String truncate(String text) {
		return text.length() <= 4000 ? text : text.substring(0, 3997) + "...";
	}

	record Batch(int number, String checkpoint) {
	}

}
