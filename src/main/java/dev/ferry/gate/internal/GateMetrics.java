package dev.ferry.gate.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.ferry.GaugeRows;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.security.SystemActor;
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
 * is 1 when the gate's latest evaluation that still counts passed, 0 when it failed, -1
 * when it could not be measured. Read from the store every {@code ferry.metrics.refresh}.
 */
@Component
class GateMetrics implements MeterBinder {

	private final JdbcClient store;

	private GaugeRows gates;

	private final PhaseLifecycle lifecycle;

	GateMetrics(JdbcClient store, PhaseLifecycle lifecycle) {
		this.store = store;
		this.lifecycle = lifecycle;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.gates = new GaugeRows(MultiGauge.builder("ferry.gate.passed")
			.description("1 when the gate's latest evaluation passed, 0 when it failed, -1 when not measured")
			.register(registry));
		refresh();
	}

	@Scheduled(fixedDelayString = "${ferry.metrics.refresh:15s}", initialDelayString = "${ferry.metrics.refresh:15s}")
	void refresh() {
		if (this.gates == null) {
			return;
		}
		Map<Tags, Double> rows = new LinkedHashMap<>();
		Map<String, Set<Long>> applies = new HashMap<>();
		Function<String, Set<Long>> standing = plan -> applies.computeIfAbsent(plan,
				p -> SystemActor.call(() -> this.lifecycle.ofPlan(p))
					.stream()
					.map(PhaseStatus::applyRun)
					.filter(Objects::nonNull)
					.collect(Collectors.toSet()));
		this.store.sql("""
				SELECT g.plan, g.phase, g.gate, g.check_name, g.level, g.passed, g.plan_version, g.after_apply
				FROM gate_evaluations g
				JOIN (SELECT plan, phase, gate, max(id) AS id FROM gate_evaluations GROUP BY plan, phase, gate) l
				  ON l.id = g.id
				""").query((RowCallbackHandler) rs -> {
			// a result counts while the phase is defined as it was when it was measured
			String plan = rs.getString(1);
			String phase = rs.getString(2);
			int since = SystemActor.call(() -> this.lifecycle.status(plan, phase)).definedIn();
			if (rs.getInt(7) < since) {
				return;
			}
			// a verify's result stops counting once the apply it was measured after is
			// undone
			Object afterApply = rs.getObject(8);
			boolean current = afterApply == null || standing.apply(plan).contains(rs.getLong(8));
			Object passed = rs.getObject(6);
			double value = (passed == null || !current) ? -1 : (rs.getBoolean(6) ? 1 : 0);
			rows.put(Tags.of("plan", rs.getString(1), "phase", rs.getString(2), "gate", rs.getString(3), "check",
					rs.getString(4), "level", rs.getString(5)), value);
		});
		this.gates.set(rows);
	}

}
