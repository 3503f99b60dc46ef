package dev.ferry.run;

import java.time.Instant;

/** A run as pages and the API show it. */
public record RunView(long id, String plan, int planVersion, String phase, String kind, RunMode mode, RunState state,
		String requestedBy, Instant requestedAt, Instant startedAt, Instant finishedAt, long done, Long total,
		RunCounts counts, String changeSetSha256, String error, boolean cancelRequested) {

	/** Share of the work done, 0..100, when the total is known. */
	public Integer percent() {
		if (this.total == null || this.total == 0) {
			return this.state == RunState.SUCCEEDED ? 100 : null;
		}
		return (int) Math.min(100, this.done * 100 / this.total);
	}

}
