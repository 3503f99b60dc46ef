package dev.ferry.runbook.internal;

import java.util.List;

import dev.ferry.plan.spec.PhaseSpec.Kind;
import dev.ferry.run.RunCounts;
import dev.ferry.runbook.Estimate;
import dev.ferry.runbook.Runbook;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runbook's arithmetic: an apply at its last apply's rows per second times the rows
 * its dry run would write, or as long as the dry run without one; a rollback at its last
 * rollback's rate, else the apply's time; sql and preflight by their runs' durations; the
 * downtime as the sum of the measured phases, a lower bound while one is not measured.
 */
class EstimatesTests {

	static RunCounts counts(long read, long inserted, long updated, long deleted) {
		return new RunCounts(read, inserted, updated, read - inserted - updated - deleted, deleted, 0, 0);
	}

	@Test
	void anImportIsEstimatedAtItsLastApplysRate() {
		Estimates.Figures dry = new Estimates.Figures(7, 12.0, counts(100_000, 9_000, 900, 100));
		Estimates.Figures apply = new Estimates.Figures(5, 4.0, counts(2_000, 2_000, 0, 0));
		Estimates.Measured measured = new Estimates.Measured(dry, apply, null, null, null, false);

		Estimate estimate = Estimates.apply(Kind.IMPORT, measured);
		// 10,000 rows to write at 2,000 / 4 s = 500 rows/s
		assertThat(estimate.seconds()).isEqualTo(20.0);
		assertThat(estimate.text()).isEqualTo("20 s");
		assertThat(estimate.basis()).isEqualTo("10,000 rows to write (dry run #7) at the 500 rows/s of apply #5");

		Estimate rollback = Estimates.rollback(Kind.IMPORT, measured, estimate);
		assertThat(rollback.seconds()).isEqualTo(20.0);
		assertThat(rollback.basis()).startsWith("about the apply's time: no rollback measured yet");

		Estimates.Figures rolledBack = new Estimates.Figures(6, 1.0, counts(2_000, 0, 0, 2_000));
		Estimate measuredRollback = Estimates.rollback(Kind.IMPORT,
				new Estimates.Measured(dry, apply, rolledBack, null, null, false), estimate);
		// 10,000 rows at 2,000 rows/s
		assertThat(measuredRollback.seconds()).isEqualTo(5.0);
		assertThat(measuredRollback.basis()).isEqualTo("10,000 rows to undo at the 2,000 rows/s of rollback #6");
	}

	@Test
	void withoutAnApplyAnImportTakesAsLongAsItsDryRun() {
		Estimates.Figures dry = new Estimates.Figures(3, 61.5, counts(1_000_000, 15_000, 0, 0));
		Estimate estimate = Estimates.apply(Kind.IMPORT, new Estimates.Measured(dry, null, null, null, null, false));
		assertThat(estimate.seconds()).isEqualTo(61.5);
		assertThat(estimate.text()).isEqualTo("1 min 02 s");
		assertThat(estimate.basis())
			.isEqualTo("15,000 rows to write; as long as dry run #3 took (no apply measured yet)");
		assertThat(Estimates.apply(Kind.IMPORT, new Estimates.Measured(null, null, null, null, null, false)).text())
			.isEqualTo("not measured yet");
	}

	@Test
	void aMappingWritesOneMapRowPerOldRecord() {
		Estimates.Figures dry = new Estimates.Figures(9, 30.0, new RunCounts(4_000, 0, 0, 0, 0, 0, 0));
		Estimates.Figures apply = new Estimates.Figures(4, 2.0, new RunCounts(1_000, 1_000, 0, 0, 0, 0, 0));
		Estimate estimate = Estimates.apply(Kind.MAPPING, new Estimates.Measured(dry, apply, null, null, null, false));
		assertThat(estimate.seconds()).isEqualTo(8.0);
	}

	@Test
	void sqlIsMeasuredByItsApplyOrADryRunThatExecutedIt() {
		Estimates.Figures dry = new Estimates.Figures(2, 0.4, RunCounts.NONE);
		assertThat(Estimates.apply(Kind.SQL, new Estimates.Measured(dry, null, null, true, null, false)).seconds())
			.isEqualTo(0.4);
		Estimate parsedOnly = Estimates.apply(Kind.SQL, new Estimates.Measured(dry, null, null, false, null, false));
		assertThat(parsedOnly.measured()).isFalse();
		assertThat(parsedOnly.basis()).contains("only parsed the statements");
		Estimates.Figures apply = new Estimates.Figures(8, 2.5, RunCounts.NONE);
		assertThat(Estimates.apply(Kind.SQL, new Estimates.Measured(dry, apply, null, false, null, false)).seconds())
			.isEqualTo(2.5);
		Estimate irreversible = Estimates.rollback(Kind.SQL, new Estimates.Measured(dry, apply, null, true, null, true),
				Estimate.of(2.5, ""));
		assertThat(irreversible.impossible()).isTrue();
		assertThat(irreversible.text()).isEqualTo("not possible");
	}

	@Test
	void theDowntimeSumsTheMeasuredPhasesAndSaysWhatIsMissing() {
		List<Runbook.Step> steps = List.of(step(1, "preflight", Estimate.of(1.5, "")),
				step(2, "schema", Estimate.of(3.0, "")), step(3, "import", Estimate.of(20.0, "")),
				step(4, "verify", Estimate.notMeasured("")));
		Runbook.Downtime downtime = RunbookBuilder.downtime(steps);
		assertThat(downtime.total().seconds()).isEqualTo(24.5);
		assertThat(downtime.notMeasured()).isEqualTo(1);
		assertThat(downtime.totalText()).isEqualTo("at least 25 s (1 phase not measured yet)");
		assertThat(downtime.rows()).extracting(Runbook.DowntimeRow::starts)
			.containsExactly("T+0:00:00", "T+0:00:02", "T+0:00:05", "T+0:00:25");
		assertThat(downtime.rows()).extracting(Runbook.DowntimeRow::ends)
			.containsExactly("T+0:00:02", "T+0:00:05", "T+0:00:25", null);
	}

	@Test
	void durationsReadAsPeopleWriteThem() {
		assertThat(Estimate.duration(0.2)).isEqualTo("under 1 s");
		assertThat(Estimate.duration(58.1)).isEqualTo("59 s");
		assertThat(Estimate.duration(59.2)).isEqualTo("1 min 00 s");
		assertThat(Estimate.duration(60)).isEqualTo("1 min 00 s");
		assertThat(Estimate.duration(3599)).isEqualTo("59 min 59 s");
		assertThat(Estimate.duration(3600)).isEqualTo("1 h 00 min");
		assertThat(Estimate.duration(3661)).isEqualTo("1 h 02 min");
		assertThat(Estimate.offset(3725)).isEqualTo("T+1:02:05");
	}

	private static Runbook.Step step(int number, String phase, Estimate apply) {
		return new Runbook.Step(number, phase, "sql", "not-run", "", List.of(), List.of(), null, List.of(), null,
				List.of(), apply, Estimate.notMeasured(""));
	}

}
