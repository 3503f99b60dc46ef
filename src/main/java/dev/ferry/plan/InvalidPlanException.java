package dev.ferry.plan;

import dev.ferry.plan.spec.PlanCheck;

/**
 * A plan text that does not validate; the check lists every error with line and column.
 */
public class InvalidPlanException extends RuntimeException {

	private final transient PlanCheck check;

	public InvalidPlanException(PlanCheck check) {
		super("The plan is not valid: " + check.errors().size() + " error(s)");
		this.check = check;
	}

	public PlanCheck getCheck() {
		return this.check;
	}

}
