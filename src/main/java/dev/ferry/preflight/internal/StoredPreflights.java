package dev.ferry.preflight.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ferry.preflight.Measurement;
import dev.ferry.preflight.PreflightService;
import dev.ferry.run.RunDetails;
import dev.ferry.run.RunView;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The measurements of preflight runs (table {@code measurements}), and the preflight's
 * part of the run page.
 */
@Service
class StoredPreflights implements PreflightService, RunDetails {

	private final JdbcClient store;

	private final PreflightExecutor executor;

	StoredPreflights(JdbcClient store, PreflightExecutor executor) {
		this.store = store;
		this.executor = executor;
	}

	@Override
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public List<Measurement> measurements(long runId) {
		return read(runId);
	}

	@Override
	@PreAuthorize("hasRole('OPERATOR')")
	public Measurement measureQuery(String connection, String subject, String query) {
		return this.executor.measureQuery(connection, subject, query);
	}

	@Override
	public Map<String, Object> of(RunView run) {
		return "preflight".equals(run.kind()) ? Map.of("measurements", read(run.id())) : Map.of();
	}

	private List<Measurement> read(long runId) {
		return this.store.sql("""
				SELECT seq, kind, subject, connection, row_count, checksum, measured_at FROM measurements
				WHERE run_id = ? ORDER BY seq
				""")
			.param(runId)
			.query((rs, row) -> new Measurement(rs.getInt(1),
					Measurement.Kind.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)), rs.getString(3),
					rs.getString(4), rs.getLong(5), rs.getString(6), measuredAt(rs.getObject(7, OffsetDateTime.class))))
			.list();
	}

	private static java.time.Instant measuredAt(OffsetDateTime value) {
		return value == null ? null : value.toInstant();
	}

}
