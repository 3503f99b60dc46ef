/**
 * Mappings: the matching engine of a {@code mapping} phase (blocking on a normalized
 * value, weighted tie-breakers, scores and statuses), the results of its dry runs,
 * reviewers' decisions with their history, the review queues and coverage. This module
 * never reads a source or target database for a dry run; the run's executor hands it the
 * records it read.
 */
@ApplicationModule(
		allowedDependencies = { "plan", "plan::spec", "connection", "changeset", "lifecycle", "problem", "security" })
package dev.ferry.mapping;

import org.springframework.modulith.ApplicationModule;
