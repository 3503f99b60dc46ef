/**
 * Apply windows: a plan's {@code window:} (weekly ranges in a time zone, freeze dates)
 * refuses an apply outside it through the lifecycle's {@code ActionCondition}, with when
 * the next window opens; and scheduled applies (table {@code scheduled_applies}): an
 * apply asked for the next window, kept in the store, started by a recurring task as the
 * operator who asked once the window is open (the gates and approvals are checked again
 * then, as for any apply), and cancellable until it starts.
 */
@ApplicationModule(allowedDependencies = { "plan", "plan::spec", "run", "lifecycle", "security", "problem" })
package dev.ferry.window;

import org.springframework.modulith.ApplicationModule;
