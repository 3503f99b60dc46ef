/**
 * The preflight phase: row counts and order-independent checksums of a plan's tables and
 * the baselines of its {@code query-unchanged} gates, measured before anything is written
 * and kept in Ferry's store (table {@code measurements}); and the row checksum itself,
 * which an import's rollback compares with too. It only reads the databases it measures.
 */
@ApplicationModule(allowedDependencies = { "run", "plan", "plan::spec", "connection", "problem" })
package dev.ferry.preflight;

import org.springframework.modulith.ApplicationModule;
