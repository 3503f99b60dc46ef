/**
 * Acceptance gates: each gate of a plan measured on the databases and on what Ferry keeps
 * (change sets, mapping decisions, preflight baselines), every evaluation stored with its
 * value, threshold, the run it was measured on and when. Gates are evaluated again after
 * every dry run and every change of a mapping phase's decisions, and on request.
 */
@ApplicationModule(allowedDependencies = { "plan", "plan::spec", "connection", "changeset", "mapping", "run",
		"preflight", "snapshot", "lifecycle", "security", "problem" })
package dev.ferry.gate;

import org.springframework.modulith.ApplicationModule;
