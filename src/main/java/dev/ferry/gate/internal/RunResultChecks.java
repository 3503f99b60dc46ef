package dev.ferry.gate.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import dev.ferry.changeset.ChangeSet;
import dev.ferry.gate.internal.GateChecks.Measured;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.connection.ConnectionService;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.MappingService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.MappingCoverageGate;
import dev.ferry.plan.spec.MappingOpenGate;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.PreflightPhase;
import dev.ferry.plan.spec.QueryUnchangedGate;
import dev.ferry.plan.spec.RejectedRowsGate;
import dev.ferry.plan.spec.RowCountGate;
import dev.ferry.plan.spec.TableRef;
import dev.ferry.preflight.Measurement;
import dev.ferry.preflight.PreflightService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;

import org.springframework.stereotype.Component;

/**
 * Measures the gates on what Ferry's runs left: row counts (as a dry run would leave
 * them), rejected rows, mapping coverage and open items, and a query against its
 * preflight baseline. What cannot be measured yet is not measured.
 */
@Component
class RunResultChecks {

	private final ChangeSetService changeSets;

	private final MappingService mappings;

	private final ConnectionService connections;

	private final RunService runs;

	private final PreflightService preflights;

	RunResultChecks(ChangeSetService changeSets, MappingService mappings, ConnectionService connections,
			RunService runs, PreflightService preflights) {
		this.changeSets = changeSets;
		this.mappings = mappings;
		this.connections = connections;
		this.runs = runs;
		this.preflights = preflights;
	}

	/**
	 * The rows of a table: after the latest dry run for the table an import phase writes,
	 * else as counted now.
	 */
	Measured rowCount(PlanVersion version, PhaseSpec phase, RowCountGate gate, String threshold) {
		long actual;
		Long runId = null;
		String how;
		if (phase instanceof ImportPhase imported && gate.table().side() != TableRef.Side.SOURCE
				&& gate.table().connection().equals(version.spec().target())
				&& gate.table().table().equalsIgnoreCase(imported.table())) {
			Optional<ChangeSet> changeSet = this.changeSets.latest(version.plan(), phase.id());
			if (changeSet.isEmpty()) {
				return Measured.notMeasured(threshold, "Phase " + phase.id()
						+ " has no dry run yet: the rows are counted as its change set would leave them.");
			}
			actual = changeSet.get().totals().projectedTargetRows();
			runId = changeSet.get().runId();
			how = "after dry run #" + runId;
		}
		else {
			OptionalLong rows = count(gate.table());
			if (rows.isEmpty()) {
				return Measured.notMeasured(threshold, "Table " + gate.table() + " cannot be counted on "
						+ gate.table().connection() + " (does it exist yet?).");
			}
			actual = rows.getAsLong();
			how = "now";
		}
		long expected;
		if (gate.expect() instanceof RowCountGate.FixedRows fixed) {
			expected = fixed.rows();
		}
		else {
			TableRef table = ((RowCountGate.TableRows) gate.expect()).table();
			OptionalLong rows = count(table);
			if (rows.isEmpty()) {
				return Measured.notMeasured(threshold,
						"Table " + table + " cannot be counted on " + table.connection() + " (does it exist yet?).");
			}
			expected = rows.getAsLong();
		}
		long allowed = GateThresholds.allowed(gate.tolerance(), expected);
		long delta = actual - expected;
		String value = String.format(Locale.ROOT, "%,d rows %s, expected %,d (%+,d)", actual, how, expected, delta);
		boolean passed = Math.abs(delta) <= allowed;
		return new Measured(value, threshold + String.format(Locale.ROOT, " (±%,d)", allowed), passed,
				passed ? null : String.format(Locale.ROOT, "%,d rows off, %,d allowed.", Math.abs(delta), allowed),
				runId);
	}

	/** The rows the latest dry run of an import phase rejected. */
	Measured rejected(PlanVersion version, PhaseSpec phase, RejectedRowsGate gate, String threshold) {
		Optional<ChangeSet> changeSet = this.changeSets.latest(version.plan(), phase.id());
		if (changeSet.isEmpty()) {
			return Measured.notMeasured(threshold, "Phase " + phase.id() + " has no dry run yet.");
		}
		long rejected = changeSet.get().totals().rejected();
		return new Measured(String.format(Locale.ROOT, "%,d rejected", rejected), threshold, rejected <= gate.max(),
				null, changeSet.get().runId());
	}

	/** The share of old records the latest mapping dry run and the decisions map. */
	Measured coverage(PlanVersion version, PhaseSpec phase, MappingCoverageGate gate, String threshold) {
		Optional<Coverage> coverage = this.mappings.coverage(version.plan(), phase.id());
		if (coverage.isEmpty()) {
			return Measured.notMeasured(threshold, "Phase " + phase.id() + " has no mapping dry run yet.");
		}
		Coverage c = coverage.get();
		double percent = c.coverage() * 100;
		String value = String.format(Locale.ROOT, "%.2f%% (%,d of %,d mapped)", percent, c.auto() + c.manual(),
				c.all() - c.excluded());
		// in percent to two places, as shown: 97.995% is not 98%
		boolean passed = Math.round(percent * 100) >= Math.round(gate.atLeastPercent() * 100);
		return new Measured(value, threshold, passed, null, c.runId());
	}

	/** The items of a mapping phase no one has decided yet. */
	Measured open(PlanVersion version, PhaseSpec phase, MappingOpenGate gate, String threshold) {
		Optional<Coverage> coverage = this.mappings.coverage(version.plan(), phase.id());
		if (coverage.isEmpty()) {
			return Measured.notMeasured(threshold, "Phase " + phase.id() + " has no mapping dry run yet.");
		}
		Coverage c = coverage.get();
		String value = String.format(Locale.ROOT, "%,d open (%,d ambiguous, %,d unresolved, %,d conflict)", c.open(),
				c.ambiguous(), c.unresolved(), c.conflict());
		return new Measured(value, threshold, c.open() <= gate.max(), null, c.runId());
	}

	/** A query's result now against the baseline the latest succeeded preflight took. */
	Measured unchanged(PlanVersion version, QueryUnchangedGate gate, String threshold) {
		RunView preflight = null;
		for (PhaseSpec phase : version.spec().phases()) {
			if (phase instanceof PreflightPhase) {
				Optional<RunView> latest = this.runs.latest(version.plan(), phase.id(), RunMode.DRY_RUN)
					.filter(run -> run.state() == RunState.SUCCEEDED);
				if (latest.isPresent() && (preflight == null || latest.get().id() > preflight.id())) {
					preflight = latest.get();
				}
			}
		}
		if (preflight == null) {
			return Measured.notMeasured(threshold,
					"No preflight run has succeeded yet: it takes the baseline this query is compared with.");
		}
		long preflightId = preflight.id();
		Optional<Measurement> baseline = this.preflights.measurements(preflightId)
			.stream()
			.filter(m -> m.kind() == Measurement.Kind.QUERY && m.subject().equals(gate.id()))
			.findFirst();
		if (baseline.isEmpty()) {
			return Measured.notMeasured(threshold, "Preflight run #" + preflightId
					+ " has no baseline of this query (the plan gained the gate after it ran): run the preflight again.");
		}
		Measurement now = this.preflights.measureQuery(gate.on(), gate.id(), gate.query());
		boolean same = now.checksum().equals(baseline.get().checksum());
		String value = String.format(Locale.ROOT, "%,d rows, checksum %s", now.rows(), shortSha(now.checksum()));
		return new Measured(value,
				threshold + String.format(Locale.ROOT, " (preflight #%d: %,d rows, checksum %s)", preflightId,
						baseline.get().rows(), shortSha(baseline.get().checksum())),
				same, same ? null : "The query's result differs from the one preflight #" + preflightId + " took.",
				preflightId);
	}

	private OptionalLong count(TableRef table) {
		return this.connections.exists(table.connection())
				? this.connections.rowCount(table.connection(), table.table()) : OptionalLong.empty();
	}

	private static String shortSha(String checksum) {
		return checksum == null ? "none" : checksum.substring(0, Math.min(12, checksum.length()));
	}

}
