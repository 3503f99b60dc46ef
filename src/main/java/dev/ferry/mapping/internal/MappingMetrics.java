package dev.ferry.mapping.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.mapping.Coverage;
import dev.ferry.security.SystemActor;
import dev.ferry.GaugeRows;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The review queues in the metrics, per mapping phase with a finished dry run:
 * {@code ferry_review_queue{plan, phase, queue}} counts the open ambiguous, unresolved
 * and conflict items (standing decisions taken off), and
 * {@code ferry_mapping_coverage_ratio{plan, phase}} is the share mapped. Read from the
 * store every {@code ferry.metrics.refresh}.
 */
@Component
class MappingMetrics implements MeterBinder {

	private final JdbcClient store;

	private final StoredMappings mappings;

	private GaugeRows queues;

	private GaugeRows coverage;

	MappingMetrics(JdbcClient store, StoredMappings mappings) {
		this.store = store;
		this.mappings = mappings;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.queues = new GaugeRows(MultiGauge.builder("ferry.review.queue")
			.description("Open items of a mapping phase's review queue")
			.register(registry));
		this.coverage = new GaugeRows(MultiGauge.builder("ferry.mapping.coverage.ratio")
			.description("Share of a mapping phase's old records that are mapped")
			.register(registry));
		refresh();
	}

	@Scheduled(fixedDelayString = "${ferry.metrics.refresh:15s}", initialDelayString = "${ferry.metrics.refresh:15s}")
	void refresh() {
		if (this.queues == null) {
			return;
		}
		Map<Tags, Number> queueRows = new LinkedHashMap<>();
		Map<Tags, Number> coverageRows = new LinkedHashMap<>();
		List<String[]> phases = this.store
			.sql("SELECT DISTINCT plan, phase FROM mapping_runs WHERE sealed_at IS NOT NULL ORDER BY plan, phase")
			.query((rs, row) -> new String[] { rs.getString(1), rs.getString(2) })
			.list();
		for (String[] phase : phases) {
			SystemActor.call(() -> this.mappings.coverage(phase[0], phase[1])).ifPresent((Coverage figures) -> {
				Tags tags = Tags.of("plan", phase[0], "phase", phase[1]);
				queueRows.put(tags.and("queue", "ambiguous"), figures.ambiguous());
				queueRows.put(tags.and("queue", "unresolved"), figures.unresolved());
				queueRows.put(tags.and("queue", "conflict"), figures.conflict());
				coverageRows.put(tags, figures.coverage());
			});
		}
		this.queues.set(queueRows);
		this.coverage.set(coverageRows);
	}

}
