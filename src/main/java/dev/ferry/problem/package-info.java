/**
 * The two ways a request can be turned down that every module shares: refused by a rule
 * ({@link dev.ferry.problem.RefusedException}, HTTP 409 or a form error) and naming
 * nothing ({@link dev.ferry.problem.NotFoundException}, HTTP 404), plus invalid input
 * ({@link dev.ferry.problem.InvalidException}, HTTP 400) and putting an error into words
 * ({@link dev.ferry.problem.ErrorWords}). The web module turns them into pages and the
 * JSON errors of {@code api.md}; this module decides no rule.
 */
@ApplicationModule(allowedDependencies = {})
package dev.ferry.problem;

import org.springframework.modulith.ApplicationModule;
