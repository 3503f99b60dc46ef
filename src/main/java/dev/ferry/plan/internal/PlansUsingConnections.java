package dev.ferry.plan.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
	public Map<String, List<String>> byConnection() {
		return SystemActor.call(() -> {
			Map<String, List<String>> users = new TreeMap<>();
			for (PlanSummary plan : this.plans.list()) {
				for (String connection : this.plans.latest(plan.plan()).spec().connections()) {
					users.computeIfAbsent(connection, name -> new ArrayList<>()).add("plan " + plan.plan());
				}
			}
			return users;
		});
	}

}
