/**
 * The lifecycle of each phase of each plan: one durable state per (plan, phase) in
 * Ferry's store (table {@code phase_states}) and the one place that decides which action
 * may happen next: a dry run, an approval, an apply, a rollback, a decision, a plan edit.
 * The modules that carry actions out ask it first and report to it in the same
 * transaction; every transition is kept in {@code phase_transitions} and the audit log.
 * Pages and the API read the state and the offered actions from here, never from runs.
 */
@ApplicationModule(allowedDependencies = { "plan", "plan::spec", "security", "problem" })
package dev.ferry.lifecycle;

import org.springframework.modulith.ApplicationModule;
