/**
 * The import phase: column rules, the dry run that merges the source's normalized rows
 * with the target table by key into a change set, the apply that replays it batch by
 * batch with before-images, a drift check and its undo ledger in the target, and the
 * rollback. Other phase kinds reuse the comparison and the writing through
 * {@link Imports} with rows they hand over ({@link SourceRows}); the external sort
 * ({@link RecordSort}) serves every dry run that must order more rows than memory holds.
 */
@ApplicationModule(allowedDependencies = { "run", "preflight", "changeset", "plan", "plan::spec", "connection",
		"security", "problem" })
package dev.ferry.importing;

import org.springframework.modulith.ApplicationModule;
