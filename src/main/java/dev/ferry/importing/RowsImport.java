package dev.ferry.importing;

import java.time.Instant;
import java.util.Optional;

import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunMode;

/**
 * A run of another phase kind presented to the import as an import of rows it hands over:
 * its phase is an {@link ImportPhase} into a table, its source is {@link SourceRows}
 * instead of a query, and the change set it writes is its own, computed by
 * {@link Imports#comparison()} when it starts. Everything it reports goes to that run.
 */
public final class RowsImport implements RunContext {

	private final RunContext run;

	private final ImportPhase phase;

	private final SourceRows rows;

	private final String name;

	/**
	 * @param run the run the import works for
	 * @param phase the import: table, key, column rules, batch size
	 * @param rows the rows to compare and write; not read by a rollback
	 * @param name what the rows are called in the run's log ("map")
	 */
	public RowsImport(RunContext run, ImportPhase phase, SourceRows rows, String name) {
		this.run = run;
		this.phase = phase;
		this.rows = rows;
		this.name = name;
	}

	public SourceRows rows() {
		return this.rows;
	}

	public String name() {
		return this.name;
	}

	@Override
	public long runId() {
		return this.run.runId();
	}

	@Override
	public RunMode mode() {
		return this.run.mode();
	}

	@Override
	public PlanVersion plan() {
		return this.run.plan();
	}

	@Override
	public PhaseSpec phase() {
		return this.phase;
	}

	@Override
	public Instant requestedAt() {
		return this.run.requestedAt();
	}

	/** The run itself: the change set it writes is the one it computed. */
	@Override
	public Optional<Long> appliesRun() {
		return Optional.of(this.run.runId());
	}

	@Override
	public Optional<Long> rollsBack() {
		return this.run.rollsBack();
	}

	@Override
	public void log(String message) {
		this.run.log(message);
	}

	@Override
	public void putResult(String name, String json) {
		this.run.putResult(name, json);
	}

	@Override
	public void startOver(Long total, String why) {
		this.run.startOver(total, why);
	}

	@Override
	public void recordChangeSet(String sha256) {
		this.run.recordChangeSet(sha256);
	}

}
