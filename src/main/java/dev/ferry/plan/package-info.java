/**
 * Plan versions: the immutable YAML documents of migration plans, their parsed and
 * validated form, and the diff between versions.
 */
@ApplicationModule(allowedDependencies = { "problem", "security", "connection" })
package dev.ferry.plan;

import org.springframework.modulith.ApplicationModule;
