package dev.ferry.plan.web;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.plan.spec.PlanCheck;
import dev.ferry.plan.spec.PlanProblem;

/**
 * What the plan editor shows besides the text: the errors and warnings, and the text as
 * numbered lines with the problem lines marked, so a person sees where each error is.
 */
record PlanEditor(String text, List<PlanProblem> errors, List<PlanProblem> warnings, List<Line> lines) {

	static PlanEditor of(String text) {
		return new PlanEditor(text, List.of(), List.of(), List.of());
	}

	static PlanEditor of(String text, PlanCheck check) {
		List<Line> lines = new ArrayList<>();
		String[] split = text.split("\n", -1);
		for (int i = 0; i < split.length; i++) {
			int number = i + 1;
			List<PlanProblem> errors = check.errors().stream().filter(p -> p.line() == number).toList();
			List<PlanProblem> warnings = check.warnings().stream().filter(p -> p.line() == number).toList();
			lines.add(new Line(number, split[i].replace("\r", ""), errors, warnings));
		}
		return new PlanEditor(text, check.errors(), check.warnings(), lines);
	}

	public boolean checked() {
		return !this.lines.isEmpty();
	}

	record Line(int number, String text, List<PlanProblem> errors, List<PlanProblem> warnings) {

		public boolean marked() {
			return !this.errors.isEmpty() || !this.warnings.isEmpty();
		}

	}

}
