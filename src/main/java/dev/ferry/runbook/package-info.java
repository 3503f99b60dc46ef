/**
 * The runbook of a plan version: every phase in order with what it does (its SQL, query,
 * rules or thresholds in full), its gates with their thresholds and last values, the
 * approvals it needs and who gave them, estimated durations of its apply and rollback
 * from the plan's own measured runs, the expected downtime and its timeline, the rollback
 * path and the verify checks; as a printable page and as Markdown. And the checklist
 * operators tick during the production run (tables {@code runbook_checklists},
 * {@code runbook_ticks}), each tick recorded in the audit log. It reads the other modules
 * through their services and changes nothing of theirs.
 */
@ApplicationModule(allowedDependencies = { "plan", "plan::spec", "run", "gate", "lifecycle", "security", "problem" })
package dev.ferry.runbook;

import org.springframework.modulith.ApplicationModule;
