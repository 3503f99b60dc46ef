package dev.ferry.sql.internal;

import java.util.Map;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.SqlPhase;
import dev.ferry.run.RunDetails;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunView;

import org.springframework.stereotype.Component;

/**
 * The sql phase's part of the run page: whether an apply or rollback ran on H2, which
 * commits each schema change at once, so its statements cannot commit together with the
 * run's ledger row and exactly once is not guaranteed (docs/architecture.md).
 */
@Component
class SqlRunDetails implements RunDetails {

	private final PlanService plans;

	private final ConnectionService connections;

	SqlRunDetails(PlanService plans, ConnectionService connections) {
		this.plans = plans;
		this.connections = connections;
	}

	@Override
	public Map<String, Object> of(RunView run) {
		if (!"sql".equals(run.kind()) || run.mode() == RunMode.DRY_RUN) {
			return Map.of();
		}
		PhaseSpec phase = this.plans.version(run.plan(), run.planVersion()).spec().phase(run.phase()).orElse(null);
		boolean h2 = phase instanceof SqlPhase sql && this.connections.exists(sql.connection())
				&& this.connections.get(sql.connection()).kind() == ConnectionKind.H2;
		return Map.of("sqlNotExactlyOnce", h2);
	}

}
