package dev.ferry.plan;

import java.util.List;

import dev.ferry.plan.spec.PlanCheck;

/**
 * Plans and their immutable versions. Reading needs VIEWER, checking and saving ADMIN;
 * the checks are made here, so the editor, the API and the plan files obey the same
 * rules.
 */
public interface PlanService {

	/** The latest version of every plan, by plan id. */
	List<PlanSummary> list();

	PlanVersion latest(String plan);

	PlanVersion version(String plan, int version);

	/** Every version of a plan, newest first. */
	List<PlanVersionInfo> history(String plan);

	/** Validates a plan text without saving it. */
	PlanCheck check(byte[] yaml);

	/**
	 * Saves a plan text: the same text as the latest version changes nothing, a changed
	 * text becomes the next version.
	 * @param expectedPlan the plan id the text must declare, or {@code null} for any
	 * @throws InvalidPlanException with every error, each with line, column and path
	 */
	SavedPlan save(String expectedPlan, byte[] yaml, PlanOrigin origin);

	/**
	 * What saving this text would void, before it is saved: the phases it changes and the
	 * dry runs, approvals and gate results they lose ({@link SaveEffects#NONE} for an
	 * invalid text, a new plan or an unchanged one).
	 */
	SaveEffects effects(byte[] yaml);

	/** The lines of version {@code to} against version {@code from}. */
	List<DiffLine> diff(String plan, int from, int to);

}
