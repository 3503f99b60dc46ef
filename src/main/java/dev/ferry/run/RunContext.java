package dev.ferry.run;

import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;

/**
 * What a phase executor knows about the run it works for, and how it reports: log lines
 * and named results (JSON) are written in the batch's transaction, so they are kept
 * exactly when the batch is.
 */
public interface RunContext {

	long runId();

	RunMode mode();

	PlanVersion plan();

	PhaseSpec phase();

	/** Adds a line to the run's log. */
	void log(String message);

	/**
	 * Keeps a named result of the run (a measurement, the statements of a script) as
	 * JSON.
	 */
	void putResult(String name, String json);

}
