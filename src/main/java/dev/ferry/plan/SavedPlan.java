package dev.ferry.plan;

import java.util.List;

import dev.ferry.plan.spec.PlanProblem;

/**
 * The outcome of saving a plan: its version now, whether this save created it, and the
 * warnings (catalogues that could not be reached), and what the save voided.
 */
public record SavedPlan(String plan, int version, String sha256, boolean created, List<PlanProblem> warnings,
		SaveEffects effects) {

}
