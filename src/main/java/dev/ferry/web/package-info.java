/**
 * The console's frame: the layout and navigation, the home page, error pages and the
 * mapping of refused or missing things to pages and JSON errors. Dashboards here are
 * composed from other modules' public APIs; this module owns no data and decides no rule.
 */
@ApplicationModule(allowedDependencies = { "security", "problem", "plan", "plan::spec", "run", "preflight", "changeset",
		"mapping", "connection", "gate", "lifecycle", "window" })
package dev.ferry.web;

import org.springframework.modulith.ApplicationModule;
