package dev.ferry.changeset.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import dev.ferry.changeset.ChangeSetStorage;
import dev.ferry.changeset.ReportFiles;
import dev.ferry.problem.NotFoundException;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.SystemActor;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Everything retention does to a change set, and the one place that knows how its rows
 * are stored: how many there are and in how many table rows, deleting them with the
 * report file that copies them ({@code changes.csv}; {@code summary.json} stays), and the
 * purge mark on the header ({@code change_sets.purged_at}, {@code purged_by}) that every
 * reader of the rows checks first.
 */
@Component
class ChangeSetPurge {

	static final String CHANGES_CSV = "changes.csv";

	private final JdbcClient store;

	private final ReportFiles reports;

	private final Clock clock;

	ChangeSetPurge(JdbcClient store, ReportFiles reports, Clock clock) {
		this.store = store;
		this.reports = reports;
		this.clock = clock;
	}

	Optional<ChangeSetStorage> storage(long runId) {
		Optional<Header> found = find(runId);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Header header = found.get();
		if (header.purgedAt() != null) {
			return Optional.of(new ChangeSetStorage(runId, 0, 0, 0, header.purgedAt(), header.purgedBy()));
		}
		long[] counts = this.store.sql("""
				SELECT COUNT(*), COALESCE(SUM(row_count), 0) FROM change_segments WHERE run_id = ?
				""").param(runId).query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) }).single();
		// a segment is one summary row and one row of its rows' text
		return Optional.of(new ChangeSetStorage(runId, counts[1], counts[0] * 2, this.reports.size(header.plan(), header.phase(), runId, CHANGES_CSV), null, null));
	}

	/** Deletes the rows and {@code changes.csv}, and marks the header purged. */
	ChangeSetStorage purge(long runId) {
		Header header = header(runId);
		if (header.purgedAt() != null) {
			throw new ChangeSetStorage(runId, 0, 0, 0, header.purgedAt(), header.purgedBy()).rowsPurged();
		}
		long rows = this.store.sql("SELECT COALESCE(SUM(row_count), 0) FROM change_segments WHERE run_id = ?")
			.param(runId)
			.query(Long.class)
			.single();
		int texts = this.store.sql("DELETE FROM change_segment_rows WHERE run_id = ?").param(runId).update();
		int segments = this.store.sql("DELETE FROM change_segments WHERE run_id = ?").param(runId).update();
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		String by = CurrentUser.get().map(CurrentUser::username).orElse(SystemActor.NAME);
		this.store.sql("UPDATE change_sets SET purged_at = ?, purged_by = ? WHERE run_id = ?")
			.params(Timestamp.from(now), by, runId)
			.update();
		long bytes = this.reports.size(header.plan(), header.phase(), runId, CHANGES_CSV);
		this.reports.deleteAfterCommit(header.plan(), header.phase(), runId, CHANGES_CSV);
		return new ChangeSetStorage(runId, rows, texts + segments, bytes, now, by);
	}

	/**
	 * Refuses (409) to read rows that were purged, saying when and by whom; the header
	 * can still be read.
	 */
	void requireRows(long runId) {
		this.store.sql("SELECT purged_at, purged_by FROM change_sets WHERE run_id = ? AND purged_at IS NOT NULL")
			.param(runId)
			.query((rs, row) -> new ChangeSetStorage(runId, 0, 0, 0, rs.getTimestamp(1).toInstant(), rs.getString(2)))
			.optional()
			.ifPresent(purged -> {
				throw purged.rowsPurged();
			});
	}

	private Header header(long runId) {
		return find(runId).orElseThrow(() -> new NotFoundException("changes.notFound",
				"Run " + runId + " has no change set: only dry runs of import and mapping phases have one.", runId));
	}

	private Optional<Header> find(long runId) {
		return this.store.sql("SELECT plan, phase, purged_at, purged_by FROM change_sets WHERE run_id = ?")
			.param(runId)
			.query((rs, row) -> {
				Timestamp at = rs.getTimestamp(3);
				return new Header(runId, rs.getString(1), rs.getString(2), at == null ? null : at.toInstant(),
						rs.getString(4));
			})
			.optional();
	}

	private record Header(long runId, String plan, String phase, Instant purgedAt, String purgedBy) {
	}

}
