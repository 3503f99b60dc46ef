package dev.ferry.lifecycle;

import java.util.List;

import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;

/**
 * A rule another module adds to an action (the gates and approvals to an apply, the
 * plan's one active run to every run): the lifecycle asks each one whenever it checks an
 * action, for a request and for a page alike, so both always give the same reasons.
 */
public interface ActionCondition {

	/**
	 * Why the action may not happen now, in words; empty when this condition allows it.
	 * @param status the phase's lifecycle state
	 * @param version the plan's latest version
	 * @param phase the phase
	 * @param action the action asked
	 * @param measure whether to measure again now (a request) or use what was measured
	 * last (a page showing the reasons)
	 */
	List<String> refusals(PhaseStatus status, PlanVersion version, PhaseSpec phase, Action action, boolean measure);

}
