package dev.ferry.gate.internal;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gate results in the metrics: {@code ferry_gate_passed{plan, phase, gate, check, level}}
 * is 1 when the gate's latest evaluation on its plan's newest version passed, 0 when it
 * failed, -1 when it could not be measured. Read from the store every
 * {@code ferry.metrics.refresh}.
 */
@Component
class GateMetrics implements MeterBinder {

	private final JdbcClient store;

	private MultiGauge gates;

	GateMetrics(JdbcClient store) {
		this.store = store;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.gates = MultiGauge.builder("ferry.gate.passed")
			.description("1 when the gate's latest evaluation passed, 0 when it failed, -1 when not measured")
			.register(registry);
		refresh();
	}

	@Scheduled(fixedDelayString = "${ferry.metrics.refresh:15s}", initialDelayString = "${ferry.metrics.refresh:15s}")
	void refresh() {
		if (this.gates == null) {
			return;
		}
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		this.store.sql("""
				SELECT g.plan, g.phase, g.gate, g.check_name, g.level, g.passed FROM gate_evaluations g
				JOIN (SELECT plan, phase, gate, max(id) AS id FROM gate_evaluations GROUP BY plan, phase, gate) l
				  ON l.id = g.id
				WHERE g.plan_version = (SELECT max(v.plan_version) FROM gate_evaluations v WHERE v.plan = g.plan)
				""").query((RowCallbackHandler) rs -> {
			Object passed = rs.getObject(6);
			double value = passed == null ? -1 : (rs.getBoolean(6) ? 1 : 0);
			rows.add(MultiGauge.Row.of(Tags.of("plan", rs.getString(1), "phase", rs.getString(2), "gate",
					rs.getString(3), "check", rs.getString(4), "level", rs.getString(5)), value));
		});
		this.gates.register(rows, true);
	}

}
