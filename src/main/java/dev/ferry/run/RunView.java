package dev.ferry.run;

import java.time.Instant;

/**
 * A run as pages and the API show it.
 *
 * @param appliesRun an apply: the dry run whose change set (or map) it writes; else null
 * @param rollsBack a rollback: the apply it undoes; else null
 */
public record RunView(long id, String plan, int planVersion, String phase, String kind, RunMode mode, RunState state,
		String requestedBy, Instant requestedAt, Instant startedAt, Instant finishedAt, long done, Long total,
		RunCounts counts, String changeSetSha256, String error, boolean cancelRequested, Long appliesRun,
		Long rollsBack) {

	/** Units per second since the run started, while it runs or once it ended. */
	public Double rate(java.time.Instant now) {
		if (this.startedAt == null || this.done == 0) {
			return null;
		}
		java.time.Instant end = this.finishedAt != null ? this.finishedAt : now;
		double seconds = Math.max(0.001, java.time.Duration.between(this.startedAt, end).toMillis() / 1000.0);
		return this.done / seconds;
	}

	/**
	 * Seconds left at the current rate, when the total is known and the run is active.
	 */
	public Long etaSeconds(java.time.Instant now) {
		Double rate = rate(now);
		if (rate == null || rate == 0 || this.total == null || !this.state.active()) {
			return null;
		}
		return Math.round(Math.max(0, this.total - this.done) / rate);
	}

	/** Share of the work done, 0..100, when the total is known. */
	public Integer percent() {
		if (this.total == null || this.total == 0) {
			return this.state == RunState.SUCCEEDED ? 100 : null;
		}
		return (int) Math.min(100, this.done * 100 / this.total);
	}

}
