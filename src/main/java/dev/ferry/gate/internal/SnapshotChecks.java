package dev.ferry.gate.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.SnapshotFreshGate;
import dev.ferry.plan.spec.SnapshotPhase;
import dev.ferry.plan.spec.TableRef;
import dev.ferry.snapshot.SnapshotService;
import dev.ferry.snapshot.SnapshotTable;

import org.springframework.stereotype.Component;

/**
 * The {@code snapshot-fresh} check: every table the phase's apply changes has a snapshot
 * of this plan, still kept, younger than the gate's age. Measured again at every apply
 * request, so an apply asked for later than the age allows is refused.
 */
@Component
class SnapshotChecks {

	private final SnapshotService snapshots;

	private final Clock clock;

	SnapshotChecks(SnapshotService snapshots, Clock clock) {
		this.snapshots = snapshots;
		this.clock = clock;
	}

	GateChecks.Measured fresh(PlanVersion version, PhaseSpec phase, SnapshotFreshGate gate, String threshold) {
		List<TableRef> tables = gate.tablesOf(version.spec(), phase);
		if (tables.isEmpty()) {
			return GateChecks.Measured.notMeasured(threshold, "Phase " + phase.id() + " names no table to check.");
		}
		Instant now = this.clock.instant();
		Duration oldest = Duration.ZERO;
		Long run = null;
		List<String> missing = new ArrayList<>();
		List<String> stale = new ArrayList<>();
		for (TableRef table : tables) {
			Optional<SnapshotTable> newest = this.snapshots.newest(version.plan(), table.connection(), table.table());
			if (newest.isEmpty()) {
				missing.add(table.toString());
				continue;
			}
			Duration age = Duration.between(newest.get().copiedAt(), now);
			if (age.compareTo(oldest) >= 0) {
				oldest = age;
				run = newest.get().runId();
			}
			if (age.compareTo(gate.maxAge()) > 0) {
				stale.add(table + " (" + age(age) + " old, snapshot #" + newest.get().runId() + ")");
			}
		}
		if (!missing.isEmpty()) {
			return new GateChecks.Measured("no snapshot", threshold, false,
					"No snapshot of " + String.join(", ", missing) + " is kept" + takenBy(version) + ".", null);
		}
		if (!stale.isEmpty()) {
			return new GateChecks.Measured(age(oldest) + " old", threshold, false,
					"Too old: " + String.join(", ", stale) + "; take a new one" + takenBy(version) + ".", run);
		}
		return new GateChecks.Measured(age(oldest) + " old", threshold, true, null, run);
	}

	/** Which phases of the plan take snapshots, in words. */
	private static String takenBy(PlanVersion version) {
		List<String> phases = version.spec()
			.phases()
			.stream()
			.filter(SnapshotPhase.class::isInstance)
			.map(PhaseSpec::id)
			.toList();
		if (phases.isEmpty()) {
			return " (the plan has no snapshot phase)";
		}
		return (phases.size() == 1) ? " (phase " + phases.get(0) + " takes it)"
				: " (phases " + String.join(", ", phases) + " take them)";
	}

	/**
	 * An age in words: {@code 40 s}, {@code 12 min}, {@code 3 h 05 min}, {@code 2 d 4 h}.
	 */
	static String age(Duration age) {
		long seconds = Math.max(0, age.toSeconds());
		if (seconds < 60) {
			return seconds + " s";
		}
		long minutes = seconds / 60;
		if (minutes < 60) {
			return minutes + " min";
		}
		long hours = minutes / 60;
		if (hours < 48) {
			return String.format(java.util.Locale.ROOT, "%d h %02d min", hours, minutes % 60);
		}
		return String.format(java.util.Locale.ROOT, "%d d %d h", hours / 24, hours % 24);
	}

}
