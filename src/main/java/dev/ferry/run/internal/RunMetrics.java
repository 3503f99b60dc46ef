package dev.ferry.run.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.ferry.run.RunState;
import dev.ferry.GaugeRows;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs in the metrics, read from the store (so every instance on one store reports the
 * same figures; take the max across instances): {@code ferry_runs{state}} counts runs by
 * state, and {@code ferry_run_rows_per_second{run, plan, phase, mode}} is each running
 * run's units done per second since it started. Refreshed every
 * {@code ferry.metrics.refresh} (15 s by default), one grouped query and one over the
 * running runs.
 */
@Component
class RunMetrics implements MeterBinder {

	private final JdbcClient store;

	private final Clock clock;

	private final Map<RunState, AtomicLong> byState = new EnumMap<>(RunState.class);

	private GaugeRows rates;

	RunMetrics(JdbcClient store, Clock clock) {
		this.store = store;
		this.clock = clock;
		for (RunState state : RunState.values()) {
			this.byState.put(state, new AtomicLong());
		}
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.byState.forEach((state, count) -> Gauge.builder("ferry.runs", count, AtomicLong::get)
			.tag("state", state.code())
			.description("Runs in the store by state")
			.register(registry));
		this.rates = new GaugeRows(MultiGauge.builder("ferry.run.rows.per.second")
			.description("Rows (units) a running run has processed per second since it started")
			.register(registry));
		refresh();
	}

	@Scheduled(fixedDelayString = "${ferry.metrics.refresh:15s}", initialDelayString = "${ferry.metrics.refresh:15s}")
	void refresh() {
		Map<RunState, Long> counts = new EnumMap<>(RunState.class);
		this.store.sql("SELECT state, count(*) FROM runs GROUP BY state")
			.query((RowCallbackHandler) rs -> counts.put(RunState.of(rs.getString(1)), rs.getLong(2)));
		this.byState.forEach((state, count) -> count.set(counts.getOrDefault(state, 0L)));
		if (this.rates == null) {
			return;
		}
		Instant now = this.clock.instant();
		Map<Tags, Double> rows = new java.util.LinkedHashMap<>();
		this.store.sql("SELECT id, plan, phase, mode, started_at, progress_done FROM runs WHERE state = 'running'")
			.query((RowCallbackHandler) rs -> {
				Timestamp started = rs.getTimestamp(5);
				double seconds = started == null ? 0 : Duration.between(started.toInstant(), now).toMillis() / 1000.0;
				double rate = seconds <= 0 ? 0 : rs.getLong(6) / seconds;
				rows.put(Tags.of("run", String.valueOf(rs.getLong(1)), "plan", rs.getString(2), "phase",
						rs.getString(3), "mode", rs.getString(4)), rate);
			});
		this.rates.set(rows);
	}

}
