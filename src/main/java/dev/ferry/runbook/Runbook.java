package dev.ferry.runbook;

import java.time.Instant;
import java.util.List;

/**
 * The runbook of one plan version, as of {@code generatedAt}: what the page shows and the
 * Markdown download says, in the same order.
 *
 * @param plan the plan's id
 * @param version the plan version it describes
 * @param sha256 the version's sha256
 * @param title the plan's title
 * @param description the plan's description, or null
 * @param source the plan's source connection
 * @param target the plan's target connection
 * @param approvals what every apply needs approved, in words
 * @param window when the plan's applies may start (its {@code window:}), in words; null
 * when at any time
 * @param steps every phase in order
 * @param downtime the expected downtime: the phases' estimates summed, with the timeline
 * @param rollbackPath the rollbacks, newest apply first
 * @param verifyChecks the gates the verify phases check
 * @param checklist the items operators tick during the production run
 * @param generatedAt when the figures were read
 */
public record Runbook(String plan, int version, String sha256, String title, String description, String source,
		String target, String approvals, String window, List<Step> steps, Downtime downtime,
		List<RollbackStep> rollbackPath, List<VerifyCheck> verifyChecks, List<ChecklistItem> checklist,
		Instant generatedAt) {

	public Runbook {
		steps = List.copyOf(steps);
		rollbackPath = List.copyOf(rollbackPath);
		verifyChecks = List.copyOf(verifyChecks);
		checklist = List.copyOf(checklist);
	}

	/**
	 * One phase.
	 *
	 * @param number its place in the plan, from 1
	 * @param phase its id
	 * @param kind its kind, as the plan names it
	 * @param state its lifecycle state now
	 * @param summary what it does, in one sentence
	 * @param facts its settings, each a label and a value
	 * @param code its SQL or query, in full
	 * @param table its column rules or tie-breakers, when it has any
	 * @param gates its gates with their thresholds and last values
	 * @param approvalsNeeded what its apply needs approved, or null when it has no apply
	 * @param approvalsGiven the approvals of its current dry run that count
	 * @param apply how long its run in the production run is expected to take
	 * @param rollback how long its rollback is expected to take
	 */
	public record Step(int number, String phase, String kind, String state, String summary, List<Fact> facts,
			List<Code> code, Table table, List<Gate> gates, String approvalsNeeded, List<Given> approvalsGiven,
			Estimate apply, Estimate rollback) {

		public Step {
			facts = List.copyOf(facts);
			code = List.copyOf(code);
			gates = List.copyOf(gates);
			approvalsGiven = List.copyOf(approvalsGiven);
		}

	}

	/** A setting of a phase. */
	public record Fact(String label, String value) {
	}

	/** A block of SQL, shown in full. */
	public record Code(String label, String text) {
	}

	/** A small table (column rules, tie-breakers). */
	public record Table(String caption, List<String> header, List<List<String>> rows) {

		public Table {
			header = List.copyOf(header);
			rows = rows.stream().map(List::copyOf).toList();
		}

	}

	/**
	 * A gate of a phase.
	 *
	 * @param state {@code pass}, {@code fail}, {@code warn} or {@code not-measured}
	 * @param value the last value, or null when never measured
	 * @param measuredOn where it was measured ({@code run #12}), or null
	 */
	public record Gate(String id, String check, String level, String threshold, String value, String state,
			String measuredOn) {
	}

	/**
	 * An approval given to the phase's current dry run: one that counts, or one its apply
	 * has spent.
	 *
	 * @param spent why it counts no more ({@code it was spent … (apply #12)}), or null
	 */
	public record Given(String by, String as, Instant at, String comment, String spent) {
	}

	/**
	 * The expected downtime: the phases in order with their estimates and where each
	 * falls in the production run.
	 *
	 * @param rows one per phase
	 * @param total the sum of the measured estimates
	 * @param notMeasured how many phases have no estimate (the total is then a lower
	 * bound)
	 */
	public record Downtime(List<DowntimeRow> rows, Estimate total, int notMeasured) {

		public Downtime {
			rows = List.copyOf(rows);
		}

		/** The total in words: a lower bound while some phases are not measured. */
		public String totalText() {
			if (this.notMeasured == 0) {
				return this.total.text();
			}
			return "at least " + this.total.text() + " (" + this.notMeasured + " phase"
					+ (this.notMeasured == 1 ? "" : "s") + " not measured yet)";
		}

	}

	/**
	 * A phase's line of the downtime table and the timeline.
	 *
	 * @param starts its offset from the start of the production run, given the measured
	 * phases before it
	 * @param ends its end, or null when it is not measured
	 */
	public record DowntimeRow(int number, String phase, String kind, Estimate estimate, String starts, String ends) {
	}

	/**
	 * A rollback of the path, newest apply first.
	 *
	 * @param how what undoes it
	 */
	public record RollbackStep(int order, String phase, String kind, String how, Estimate estimate) {
	}

	/** A gate checked by a verify phase after the applies. */
	public record VerifyCheck(String phase, String onFail, Gate gate) {
	}

	/** An item of the checklist, with a key that stays the same for the plan version. */
	public record ChecklistItem(String key, String label) {
	}

}
