package dev.ferry.plan;

import java.time.Instant;

import dev.ferry.plan.spec.PlanSpec;

/**
 * One immutable version of a plan: its text exactly as saved (line endings normalized to
 * LF), the sha256 of that text, who saved it and when, and its parsed form.
 */
public record PlanVersion(String plan, int version, String title, String yaml, String sha256, String savedBy,
		Instant savedAt, PlanOrigin origin, PlanSpec spec) {

	public PlanVersionInfo info() {
		return new PlanVersionInfo(this.plan, this.version, this.title, this.sha256, this.savedBy, this.savedAt,
				this.origin);
	}

}
