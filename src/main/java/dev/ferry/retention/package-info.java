/**
 * Retention: which bulk storage of finished runs nothing needs any more (the rows of
 * superseded change sets, the items of superseded mapping dry runs, the before-images of
 * applies that can no longer be rolled back), a dry run of the purge that lists it with
 * what it would free and what is kept and why, the purge itself (ADMIN, also on a
 * schedule) and its record. It decides from the runs and the phases' lifecycle, and
 * deletes only through the owning modules' services; it never keeps rows of its own
 * beyond the record of what was purged.
 */
@ApplicationModule(allowedDependencies = { "run", "lifecycle", "changeset", "mapping", "importing", "plan",
		"plan::spec", "security", "problem" })
package dev.ferry.retention;

import org.springframework.modulith.ApplicationModule;
