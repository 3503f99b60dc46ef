package dev.ferry.plan.spec;

/**
 * One thing wrong with a plan's text.
 *
 * @param line the 1-based line of the offending node (the key of an unknown key, the
 * value of a wrong value)
 * @param column the 1-based column of that node, in characters
 * @param path where in the plan, e.g. {@code phases[2].columns.year}; plan keys are their
 * own name, problems of the whole document have an empty path
 * @param message a short English sentence naming the problem and what is allowed
 */
public record PlanProblem(int line, int column, String path, String message) {

}
