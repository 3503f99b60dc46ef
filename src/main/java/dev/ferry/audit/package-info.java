/**
 * The audit log: every user action (sign-in, plan saved, run requested, approval,
 * decision, undo, connection or account changed) and every run transition, appended in
 * the transaction of what it records, each entry hash-chained to the one before; its
 * reading and its verification. It listens to the other modules' events and decides no
 * rule.
 */
@ApplicationModule(allowedDependencies = { "plan", "run", "mapping", "gate", "lifecycle", "retention", "runbook",
		"snapshot", "notify", "window", "connection", "security", "problem" })
package dev.ferry.audit;

import org.springframework.modulith.ApplicationModule;
