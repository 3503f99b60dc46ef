package dev.ferry.runbook.internal;

import java.util.Locale;

import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.run.RunCounts;
import dev.ferry.runbook.Estimate;

/**
 * The arithmetic of the runbook's estimates, from a phase's measured runs: an apply at
 * the rate of the phase's last apply (rows per second) times the rows its current dry run
 * would write, or as long as that dry run when no apply was measured; a rollback at the
 * rate of its last rollback, or about its apply's time (Ferry's benchmarks roll back in
 * 0.6 to 0.7 times the apply's time; section 11 of docs/performance.md).
 */
final class Estimates {

	private Estimates() {
	}

	/**
	 * A finished run's figures.
	 *
	 * @param seconds from its start to its end (not its time in the queue)
	 */
	record Figures(long runId, double seconds, RunCounts counts) {
	}

	/**
	 * What was measured of one phase.
	 *
	 * @param dryRun its current (or latest succeeded) dry run, or null
	 * @param apply its latest succeeded apply, or null
	 * @param rollback its latest succeeded rollback, or null
	 * @param dryRunExecuted a sql phase: whether the dry run executed the statements (and
	 * rolled them back) rather than only parsed them; null when unknown
	 * @param verifySeconds a verify phase: how long after its apply ended the last
	 * verdict came, or null
	 */
	record Measured(Figures dryRun, Figures apply, Figures rollback, Boolean dryRunExecuted, Double verifySeconds,
			boolean irreversible) {
	}

	/**
	 * The rows an apply of the dry run writes: an import's inserts, updates and deletes;
	 * a mapping's map rows (one per old record).
	 */
	static long rowsToWrite(PhaseSpec.Kind kind, RunCounts dryRun) {
		if (dryRun == null) {
			return 0;
		}
		return (kind == PhaseSpec.Kind.MAPPING) ? dryRun.read()
				: dryRun.inserted() + dryRun.updated() + dryRun.deleted();
	}

	static Estimate apply(PhaseSpec.Kind kind, Measured m) {
		Figures dry = m.dryRun();
		switch (kind) {
			case PREFLIGHT:
				return (dry == null) ? Estimate.notMeasured("no preflight has run yet")
						: Estimate.of(dry.seconds(), "preflight #" + dry.runId() + " took " + seconds(dry.seconds()));
			case SNAPSHOT:
				return (dry == null) ? Estimate.notMeasured("no snapshot has been taken yet")
						: Estimate.of(dry.seconds(), "snapshot #" + dry.runId() + " took " + seconds(dry.seconds()));
			case VERIFY:
				return (m.verifySeconds() == null) ? Estimate.notMeasured("no apply has been verified yet")
						: Estimate.of(m.verifySeconds(),
								"the last verdict came " + seconds(m.verifySeconds()) + " after its apply ended");
			case SQL:
				if (m.apply() != null) {
					return Estimate.of(m.apply().seconds(),
							"apply #" + m.apply().runId() + " took " + seconds(m.apply().seconds()));
				}
				if (dry == null) {
					return Estimate.notMeasured("no dry run yet");
				}
				if (Boolean.FALSE.equals(m.dryRunExecuted())) {
					return Estimate.notMeasured("dry run #" + dry.runId()
							+ " only parsed the statements (the database commits schema changes at once)");
				}
				return Estimate.of(dry.seconds(), "dry run #" + dry.runId() + " executed the statements in "
						+ seconds(dry.seconds()) + " and rolled them back");
			default:
				if (dry == null) {
					return Estimate.notMeasured("no dry run yet");
				}
				long rows = rowsToWrite(kind, dry.counts());
				Figures apply = m.apply();
				if (apply != null && apply.counts().read() > 0 && apply.seconds() > 0) {
					double rate = apply.counts().read() / apply.seconds();
					return Estimate.of(rows / rate,
							String.format(Locale.ROOT,
									"%,d rows to write (dry run #%d) at the %,.0f rows/s of apply #%d", rows,
									dry.runId(), rate, apply.runId()));
				}
				return Estimate.of(dry.seconds(), String.format(Locale.ROOT,
						"%,d rows to write; as long as dry run #%d took (no apply measured yet)", rows, dry.runId()));
		}
	}

	static Estimate rollback(PhaseSpec.Kind kind, Measured m, Estimate apply) {
		switch (kind) {
			case PREFLIGHT:
			case SNAPSHOT:
			case VERIFY:
				return Estimate.of(0, "nothing to undo");
			case SQL:
				if (m.irreversible()) {
					return Estimate.impossible("the phase is irreversible: it has no rollback");
				}
				if (m.rollback() != null) {
					return Estimate.of(m.rollback().seconds(),
							"rollback #" + m.rollback().runId() + " took " + seconds(m.rollback().seconds()));
				}
				return Estimate.notMeasured("its rollback statements have not run yet");
			default:
				Figures dry = m.dryRun();
				Figures rollback = m.rollback();
				if (dry != null && rollback != null && rollback.counts().read() > 0 && rollback.seconds() > 0) {
					long rows = rowsToWrite(kind, dry.counts());
					double rate = rollback.counts().read() / rollback.seconds();
					return Estimate.of(rows / rate, String.format(Locale.ROOT,
							"%,d rows to undo at the %,.0f rows/s of rollback #%d", rows, rate, rollback.runId()));
				}
				if (apply.measured()) {
					return Estimate.of(apply.seconds(), "about the apply's time: no rollback measured yet, and "
							+ "Ferry's benchmarks roll back in 0.6 to 0.7 times the apply's time");
				}
				return Estimate.notMeasured("neither an apply nor a rollback measured yet");
		}
	}

	private static String seconds(double seconds) {
		return String.format(Locale.ROOT, "%.1f s", seconds);
	}

}
