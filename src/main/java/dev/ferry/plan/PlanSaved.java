package dev.ferry.plan;

import java.util.List;

/**
 * A new version of a plan was saved, published in the transaction that saves it.
 *
 * @param changedPhases the phases whose definition (or gates) this version changes, with
 * every phase after the first of them: all phases of a new plan
 */
public record PlanSaved(String plan, int version, String sha256, String savedBy, PlanOrigin origin,
		List<String> changedPhases) {

	public PlanSaved {
		changedPhases = List.copyOf(changedPhases);
	}

}
