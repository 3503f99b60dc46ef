package dev.ferry.mapping.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import dev.ferry.changeset.ReportFiles;
import dev.ferry.mapping.MappingStorage;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.SystemActor;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Retention of mapping dry runs: how many items a run keeps, and deleting them (with its
 * best new keys and {@code mapping.csv}; {@code summary.json} stays) while the header and
 * totals stay, marked purged ({@code mapping_runs.purged_at}, {@code purged_by}). Every
 * reader of items reads the phase's latest finished dry run, which is never purged.
 */
@Component
class MappingPurge {

	static final String MAPPING_CSV = "mapping.csv";

	private final JdbcClient store;

	private final ReportFiles reports;

	private final MappingQueries queries;

	private final Clock clock;

	MappingPurge(JdbcClient store, ReportFiles reports, MappingQueries queries, Clock clock) {
		this.store = store;
		this.reports = reports;
		this.queries = queries;
		this.clock = clock;
	}

	Optional<MappingStorage> storage(long runId) {
		Optional<Header> found = find(runId);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Header header = found.get();
		if (header.purgedAt() != null) {
			return Optional.of(new MappingStorage(runId, 0, 0, 0, header.purgedAt(), header.purgedBy()));
		}
		long items = count("SELECT COUNT(*) FROM mapping_items WHERE run_id = ?", runId);
		long newKeys = count("SELECT COUNT(*) FROM mapping_new_keys WHERE run_id = ?", runId);
		return Optional.of(new MappingStorage(runId, items, items + newKeys,
				this.reports.size(header.plan(), header.phase(), runId, MAPPING_CSV), null, null));
	}

	MappingStorage purge(long runId) {
		Header header = header(runId);
		if (header.purgedAt() != null) {
			throw new RefusedException("mapping.purged",
					"The items of mapping dry run #" + runId + " were already purged by " + header.purgedBy() + ".",
					String.valueOf(runId), header.purgedBy());
		}
		Optional<Long> latest = this.queries.latestRun(header.plan(), header.phase());
		if (latest.isPresent() && latest.get() == runId) {
			throw new RefusedException("mapping.purgeLatest",
					"Dry run #" + runId + " is the latest of phase " + header.phase()
							+ ": its review queue, coverage, gates and approvals read its items.",
					String.valueOf(runId), header.phase());
		}
		int newKeys = this.store.sql("DELETE FROM mapping_new_keys WHERE run_id = ?").param(runId).update();
		int items = this.store.sql("DELETE FROM mapping_items WHERE run_id = ?").param(runId).update();
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		String by = CurrentUser.get().map(CurrentUser::username).orElse(SystemActor.NAME);
		this.store.sql("UPDATE mapping_runs SET purged_at = ?, purged_by = ? WHERE run_id = ?")
			.params(Timestamp.from(now), by, runId)
			.update();
		long bytes = this.reports.size(header.plan(), header.phase(), runId, MAPPING_CSV);
		// the copy goes once the purge is kept
		this.reports.deleteAfterCommit(header.plan(), header.phase(), runId, MAPPING_CSV);
		return new MappingStorage(runId, items, items + newKeys, bytes, now, by);
	}

	private long count(String sql, long runId) {
		return this.store.sql(sql).param(runId).query(Long.class).single();
	}

	private Header header(long runId) {
		return find(runId).orElseThrow(
				() -> new NotFoundException("mapping.noRun", "Run #" + runId + " has no mapping results.", runId));
	}

	private Optional<Header> find(long runId) {
		return this.store.sql("SELECT plan, phase, purged_at, purged_by FROM mapping_runs WHERE run_id = ?")
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
