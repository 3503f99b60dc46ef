/**
 * The two ways a request can be turned down that every module shares: refused by a rule
 * ({@link dev.ferry.problem.RefusedException}, HTTP 409 or a form error) and naming
 * nothing ({@link dev.ferry.problem.NotFoundException}, HTTP 404). The web module turns
 * them into pages and the JSON errors of {@code api.md}; this module holds no logic of
 * its own.
 */
@ApplicationModule(allowedDependencies = {})
package dev.ferry.problem;

import org.springframework.modulith.ApplicationModule;
