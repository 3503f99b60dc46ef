package dev.ferry.run;

import java.util.List;

import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;

/**
 * A rule an apply must satisfy, contributed by another module (the gates, the approvals):
 * the run module asks every one before it starts an apply, and when a page or the API
 * asks why Apply is locked, so both always give the same reasons.
 */
public interface ApplyCondition {

	/**
	 * Why an apply of the phase may not start now, in words; empty when this condition
	 * allows it.
	 * @param version the plan's latest version
	 * @param phase the phase to apply
	 * @param dryRun the dry run the apply would replay (or whose map it would write),
	 * null when there is none
	 * @param measure whether to measure again now (an apply request) or to use what was
	 * measured last (a page showing the reasons)
	 */
	List<String> refusals(PlanVersion version, PhaseSpec phase, RunView dryRun, boolean measure);

}
