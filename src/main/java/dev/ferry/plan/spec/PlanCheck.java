package dev.ferry.plan.spec;

import java.util.List;

/**
 * The outcome of reading a plan.
 *
 * @param spec the parsed plan, {@code null} when there are errors
 * @param errors what makes the plan invalid, in document order
 * @param warnings what could not be checked or deserves a look, in document order
 */
public record PlanCheck(PlanSpec spec, List<PlanProblem> errors, List<PlanProblem> warnings) {

	public PlanCheck {
		errors = List.copyOf(errors);
		warnings = List.copyOf(warnings);
	}

	public boolean valid() {
		return this.errors.isEmpty();
	}

}
