/**
 * Mappings: the matching engine of a {@code mapping} phase (blocking on a normalized
 * value, weighted tie-breakers, scores and statuses), the results of its dry runs,
 * reviewers' decisions with their history, the review queues and coverage; and the
 * phase's executors: the dry run that reads both sides and matches them, and the apply
 * and rollback, which hand the map ({@code MapRows}, read from this module's own tables)
 * to the import's comparison and writing. It never writes a source or target but through
 * the import.
 */
@ApplicationModule(allowedDependencies = { "run", "importing", "changeset", "plan", "plan::spec", "connection",
		"lifecycle", "security", "problem" })
package dev.ferry.mapping;

import org.springframework.modulith.ApplicationModule;
