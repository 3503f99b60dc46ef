package dev.ferry.run.internal;

import javax.sql.DataSource;

import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunMode;

/**
 * A mapping apply (or its rollback) as the import's diff and apply see it: its phase is
 * an import of the map from Ferry's store into the mapping's {@code into} table, its
 * source is the store, and the change set it applies is its own (computed when it starts,
 * from the dry run's items and the decisions standing then). Everything it reports goes
 * to the mapping run.
 */
final class MapWrite implements RunContext {

	private final RunContext run;

	private final ImportPhase phase;

	private final DataSource store;

	MapWrite(RunContext run, ImportPhase phase, DataSource store) {
		this.run = run;
		this.phase = phase;
		this.store = store;
	}

	/** Where the map's query runs. */
	DataSource store() {
		return this.store;
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
