package dev.ferry.gate.internal;

import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.GateSpec;
import dev.ferry.plan.spec.HttpGate;
import dev.ferry.plan.spec.MappingCoverageGate;
import dev.ferry.plan.spec.MappingOpenGate;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.QueryUnchangedGate;
import dev.ferry.plan.spec.RejectedRowsGate;
import dev.ferry.plan.spec.RowCountGate;
import dev.ferry.plan.spec.SchemaMatchesGate;
import dev.ferry.plan.spec.SnapshotFreshGate;
import dev.ferry.plan.spec.SqlGate;
import dev.ferry.problem.ErrorWords;

import org.springframework.stereotype.Component;

/**
 * Measures one gate, each check as {@code plan-format.md} defines it, with the class that
 * measures that kind of check. What cannot be measured yet (no dry run, a table that does
 * not exist yet, no preflight baseline) is not measured; a database or an endpoint that
 * refuses is a failure with its message.
 */
@Component
class GateChecks {

	private final RunResultChecks results;

	private final DatabaseChecks databases;

	private final HttpCheck http;

	private final SnapshotChecks snapshots;

	GateChecks(RunResultChecks results, DatabaseChecks databases, HttpCheck http, SnapshotChecks snapshots) {
		this.results = results;
		this.databases = databases;
		this.http = http;
		this.snapshots = snapshots;
	}

	/**
	 * What a gate measures now.
	 *
	 * @param value what was measured, as shown, or null
	 * @param threshold what it must satisfy, as shown
	 * @param passed whether it did, or null when not measured
	 * @param detail why, or null
	 * @param runId the run the value comes from, or null
	 */
	record Measured(String value, String threshold, Boolean passed, String detail, Long runId) {

		static Measured notMeasured(String threshold, String why) {
			return new Measured(null, threshold, null, why, null);
		}

	}

	Measured measure(PlanVersion version, PhaseSpec phase, GateSpec gate) {
		String threshold = GateThresholds.threshold(gate);
		try {
			if (gate instanceof RowCountGate rowCount) {
				return this.results.rowCount(version, phase, rowCount, threshold);
			}
			if (gate instanceof RejectedRowsGate rejected) {
				return this.results.rejected(version, phase, rejected, threshold);
			}
			if (gate instanceof MappingCoverageGate coverage) {
				return this.results.coverage(version, phase, coverage, threshold);
			}
			if (gate instanceof MappingOpenGate open) {
				return this.results.open(version, phase, open, threshold);
			}
			if (gate instanceof SqlGate sql) {
				return this.databases.sql(sql, threshold);
			}
			if (gate instanceof SchemaMatchesGate schema) {
				return this.databases.schema(schema, threshold);
			}
			if (gate instanceof HttpGate endpoint) {
				return this.http.measure(endpoint, threshold);
			}
			if (gate instanceof SnapshotFreshGate fresh) {
				return this.snapshots.fresh(version, phase, fresh, threshold);
			}
			return this.results.unchanged(version, (QueryUnchangedGate) gate, threshold);
		}
		catch (RuntimeException ex) {
			return new Measured(null, threshold, false, ErrorWords.of(ex), null);
		}
	}

}
