package dev.ferry.plan.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.yaml.snakeyaml.error.Mark;

/**
 * Collects the problems of one plan. Reading stops once {@value #MAX_ERRORS} errors are
 * collected, so a hostile document cannot make the answer arbitrarily large.
 */
final class Problems {

	static final int MAX_ERRORS = 100;

	private static final Comparator<PlanProblem> DOCUMENT_ORDER = Comparator.comparingInt(PlanProblem::line)
		.thenComparingInt(PlanProblem::column);

	private final List<PlanProblem> errors = new ArrayList<>();

	private final List<PlanProblem> warnings = new ArrayList<>();

	void error(Mark mark, String path, String message) {
		error(mark.getLine() + 1, mark.getColumn() + 1, path, message);
	}

	void error(int line, int column, String path, String message) {
		if (this.errors.size() == MAX_ERRORS) {
			this.errors.add(new PlanProblem(line, column, path,
					"More than " + MAX_ERRORS + " errors; the plan was not checked further"));
			throw new TooManyErrors();
		}
		this.errors.add(new PlanProblem(line, column, path, message));
	}

	void warning(Mark mark, String path, String message) {
		if (this.warnings.size() < MAX_ERRORS) {
			this.warnings.add(new PlanProblem(mark.getLine() + 1, mark.getColumn() + 1, path, message));
		}
	}

	boolean hasErrors() {
		return !this.errors.isEmpty();
	}

	PlanCheck toCheck(PlanSpec spec) {
		List<PlanProblem> sortedErrors = new ArrayList<>(this.errors);
		sortedErrors.sort(DOCUMENT_ORDER);
		List<PlanProblem> sortedWarnings = new ArrayList<>(this.warnings);
		sortedWarnings.sort(DOCUMENT_ORDER);
		return new PlanCheck(sortedErrors.isEmpty() ? spec : null, sortedErrors, sortedWarnings);
	}

	/** Ends reading when the error limit is reached. */
	static final class TooManyErrors extends RuntimeException {

		TooManyErrors() {
			super("too many errors", null, false, false);
		}

	}

}
