/**
 * The sql phase: its script split into statements, the dry run (rolled back where schema
 * changes are transactional, only parsed on H2), the apply and the rollback, each run in
 * one transaction and recorded once in the ledger {@code ferry_sql_runs} on the database
 * it runs on. It plugs into the run engine as a phase executor and keeps no table in
 * Ferry's store.
 */
@ApplicationModule(allowedDependencies = { "run", "plan", "plan::spec", "connection" })
package dev.ferry.sql;

import org.springframework.modulith.ApplicationModule;
