/**
 * Runs: one phase of one plan version in one mode, executed as a durable db-scheduler
 * task in batches, each recorded in a batch ledger with its checkpoint in the same
 * transaction as its work, so a run resumes after a crash and no batch runs twice. At
 * most one active run per plan. Phase kinds are modules of their own ({@code preflight},
 * {@code sql}, {@code importing}, {@code mapping}) that plug in as
 * {@link dev.ferry.run.PhaseExecutor}s and add their part of the run page as
 * {@link dev.ferry.run.RunDetails}; this module never decides what a phase does to a
 * database and depends on no phase module.
 */
@ApplicationModule(allowedDependencies = { "plan", "plan::spec", "lifecycle", "security", "problem" })
package dev.ferry.run;

import org.springframework.modulith.ApplicationModule;
