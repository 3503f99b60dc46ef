package dev.ferry.run;

import java.time.Instant;
import java.util.Optional;

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

	/**
	 * When the run was requested in Ferry's store: with the run's id, what names the run
	 * in a ledger kept on another database.
	 */
	Instant requestedAt();

	/**
	 * The dry run whose results an apply writes; for a rollback, the one its apply wrote.
	 */
	Optional<Long> appliesRun();

	/** The apply a rollback undoes; empty for other runs. */
	Optional<Long> rollsBack();

	/** Adds a line to the run's log. */
	void log(String message);

	/**
	 * Keeps a named result of the run (a measurement, the statements of a script) as
	 * JSON.
	 */
	void putResult(String name, String json);

	/**
	 * Forgets the progress and counts reported so far, for work that starts over (a dry
	 * run interrupted by a restart, or one that changes how it reads), and says why in
	 * the log.
	 * @param total the units of work in all from now on, or {@code null}
	 */
	void startOver(Long total, String why);

	/** Keeps the sha256 of the change set this run produced. */
	void recordChangeSet(String sha256);

}
