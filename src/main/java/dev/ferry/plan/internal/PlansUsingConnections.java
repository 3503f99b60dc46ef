package dev.ferry.plan.internal;

import java.util.List;

import dev.ferry.connection.ConnectionUsers;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.PlanSummary;
import dev.ferry.security.SystemActor;

import org.springframework.stereotype.Component;

/** The plans whose latest version names a connection, so it is not deleted under them. */
@Component
class PlansUsingConnections implements ConnectionUsers {

	private final PlanService plans;

	PlansUsingConnections(PlanService plans) {
		this.plans = plans;
	}

	@Override
	public List<String> using(String connection) {
		return SystemActor.call(() -> this.plans.list()
			.stream()
			.map(PlanSummary::plan)
			.filter(plan -> this.plans.latest(plan).spec().connections().contains(connection))
			.map(plan -> "plan " + plan)
			.toList());
	}

}
