package dev.ferry.lifecycle.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.ferry.GaugeRows;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The lifecycle in the metrics: {@code ferry_phase_state{plan, phase, state}} is 1 for
 * the state each phase is in (one series per phase; its {@code state} label changes with
 * it), and {@code ferry_phase_standing_apply{plan, phase}} the id of the apply that
 * stands, 0 when none does. Read from {@code phase_states} every
 * {@code ferry.metrics.refresh}.
 */
@Component
class LifecycleMetrics implements MeterBinder {

	private final JdbcClient store;

	private GaugeRows states;

	private GaugeRows applies;

	LifecycleMetrics(JdbcClient store) {
		this.store = store;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.states = new GaugeRows(MultiGauge.builder("ferry.phase.state")
			.description("1 for the lifecycle state each phase of each plan is in")
			.register(registry));
		this.applies = new GaugeRows(MultiGauge.builder("ferry.phase.standing.apply")
			.description("The run id of the apply that stands in the target for the phase, 0 when none does")
			.register(registry));
		refresh();
	}

	@Scheduled(fixedDelayString = "${ferry.metrics.refresh:15s}", initialDelayString = "${ferry.metrics.refresh:15s}")
	void refresh() {
		if (this.states == null) {
			return;
		}
		Map<Tags, Integer> states = new LinkedHashMap<>();
		Map<Tags, Long> applies = new LinkedHashMap<>();
		this.store.sql("SELECT plan, phase, state, apply_run FROM phase_states ORDER BY plan, phase")
			.query((RowCallbackHandler) rs -> {
				states.put(Tags.of("plan", rs.getString(1), "phase", rs.getString(2), "state", rs.getString(3)), 1);
				applies.put(Tags.of("plan", rs.getString(1), "phase", rs.getString(2)), rs.getLong(4));
			});
		this.states.set(states);
		this.applies.set(applies);
	}

}
