/**
 * The demo workspace: in demo mode, a generated, deterministic SQLite source of messy
 * cultivar rows and an H2 target with legacy listings, registered as the connections
 * {@code cultivars} and {@code app} for the sample plan {@code config/plans/ahs-v2.yaml}.
 * It never runs outside demo mode and never overwrites existing demo files.
 */
@ApplicationModule(allowedDependencies = { "connection", "security", "problem" })
package dev.ferry.demo;

import org.springframework.modulith.ApplicationModule;
