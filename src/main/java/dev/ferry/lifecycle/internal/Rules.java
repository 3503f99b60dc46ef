package dev.ferry.lifecycle.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.ferry.lifecycle.PhaseState;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.lifecycle.Step;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.MappingPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.SqlPhase;

/**
 * The transitions of the phase lifecycle: for each action, why the phase's state does not
 * allow it now, in words (empty when it does). Pure: the state in, the reasons out.
 *
 * <pre>
 * not-run ──dry run──► dry-running ──► dry-run-ready ──approvals──► approved ──apply──► applying
 *    ▲                      │ failed/cancelled ▲  ▲ decision changed │                   │
 *    │                      ▼                  │  └──────────────────┘                   ▼
 *    │                   failed ──dry run──────┘        applied / verifying ──► verified | verify-failed
 *    │                                                             │ rollback (newest first)
 *    └─ plan edit voids ──── rolled-back ◄── rolling-back ◄────────┘
 * </pre>
 */
final class Rules {

	private Rules() {
	}

	/** Whether the phase kind writes (has an apply). */
	static boolean applies(PhaseSpec phase) {
		return phase.kind().writes();
	}

	static List<String> dryRun(PhaseStatus status, PhaseSpec phase, PlanVersion version,
			Function<String, PhaseStatus> statusOf) {
		List<String> reasons = new ArrayList<>();
		if (phase.kind() == PhaseSpec.Kind.VERIFY) {
			reasons.add("A verify phase has no dry run: it checks each apply of the phase before it.");
			return reasons;
		}
		String active = active(status);
		if (active != null) {
			reasons.add(active);
			return reasons;
		}
		if (status.applyStands()) {
			reasons.add(stands(status) + ": roll it back before a new dry run.");
			return reasons;
		}
		for (String[] table : tables(phase, version)) {
			for (PhaseSpec earlier : version.spec().phases()) {
				if (earlier.id().equals(phase.id())) {
					break;
				}
				if (earlier instanceof SqlPhase sql && sql.connection().equals(table[0])
						&& sql.createdTables().stream().anyMatch(created -> created.equalsIgnoreCase(table[1]))
						&& !standsWhole(statusOf.apply(sql.id()))) {
					reasons.add("Table " + table[1] + " is created by phase " + sql.id() + ", not applied yet.");
				}
			}
		}
		return reasons;
	}

	static List<String> approve(PhaseStatus status, PhaseSpec phase) {
		if (!applies(phase)) {
			return List.of("A " + phase.kind().yamlName() + " phase has no apply, so there is nothing to approve.");
		}
		return switch (status.state()) {
			case DRY_RUN_READY -> List.of();
			case APPROVED -> List.of("Dry run #" + status.dryRun() + " already has every approval it needs.");
			default -> List.of(notReviewable(status, phase) + " There is nothing to approve.");
		};
	}

	static List<String> apply(PhaseStatus status, PhaseSpec phase, PlanVersion version,
			Function<String, PhaseStatus> statusOf) {
		if (!applies(phase)) {
			return List.of("A " + phase.kind().yamlName() + " phase has no apply: it only measures.");
		}
		List<String> reasons = new ArrayList<>();
		if (!status.reviewable()) {
			reasons.add(notReviewable(status, phase));
		}
		for (PhaseSpec earlier : version.spec().phases()) {
			if (earlier.id().equals(phase.id())) {
				break;
			}
			if (applies(earlier) && !standsWhole(statusOf.apply(earlier.id()))) {
				PhaseStatus before = statusOf.apply(earlier.id());
				reasons.add("Phase " + earlier.id() + " comes first and is not applied ("
						+ before.state().code().replace('-', ' ') + ").");
			}
		}
		return reasons;
	}

	static List<String> rollback(PhaseStatus status, PhaseStatus newest, PhaseSpec phase) {
		if (phase instanceof SqlPhase sql && sql.irreversible()) {
			return List.of("Phase " + status.phase() + " is irreversible: it has no rollback.");
		}
		if (!status.applyStands()) {
			String active = active(status);
			return List.of((active != null) ? active
					: "Phase " + status.phase() + " has no apply standing, so there is nothing to roll back.");
		}
		String active = active(status);
		if (active != null) {
			return List.of(active);
		}
		if (newest != null && newest.applyRun() > status.applyRun()) {
			return List.of("Apply #" + newest.applyRun() + " (phase " + newest.phase() + ") came after apply #"
					+ status.applyRun() + " and still stands: roll back the newest apply first.");
		}
		return List.of();
	}

	static List<String> decide(PhaseStatus status) {
		if (status.state() == PhaseState.APPLYING) {
			return List.of("The map of phase " + status.phase() + " is being applied (apply #" + status.activeRun()
					+ "): decide again when it has ended.");
		}
		return List.of();
	}

	/** Whether the phase's apply stands whole (not the part of a failed one). */
	static boolean standsWhole(PhaseStatus status) {
		return status.applyStands() && (status.state() == PhaseState.APPLIED || status.state() == PhaseState.VERIFYING
				|| status.state() == PhaseState.VERIFIED || status.state() == PhaseState.VERIFY_FAILED);
	}

	private static String stands(PhaseStatus status) {
		return (status.state() == PhaseState.FAILED && status.failedStep() == Step.APPLY)
				? "Apply #" + status.applyRun() + " of phase " + status.phase()
						+ " failed after committing part of its batches, which stand"
				: "Apply #" + status.applyRun() + " of phase " + status.phase() + " stands";
	}

	/** Why a run of the phase is in the way, or null when none is active. */
	private static String active(PhaseStatus status) {
		return switch (status.state()) {
			case DRY_RUNNING -> "Dry run #" + status.activeRun() + " of phase " + status.phase() + " is running.";
			case APPLYING -> "Apply #" + status.activeRun() + " of phase " + status.phase() + " is running.";
			case ROLLING_BACK -> "Rollback #" + status.activeRun() + " of phase " + status.phase() + " is running.";
			default -> null;
		};
	}

	/** Why the phase has no dry run an approval or apply could refer to. */
	private static String notReviewable(PhaseStatus status, PhaseSpec phase) {
		String active = active(status);
		if (active != null) {
			return active;
		}
		if (status.applyStands()) {
			return stands(status) + "; roll it back first.";
		}
		return switch (status.state()) {
			case ROLLED_BACK ->
				"The apply of phase " + status.phase() + " was rolled back (rollback #" + status.lastRun()
						+ "), and the approval it used was spent: run a new dry run and have it approved.";
			case FAILED -> (status.failedStep() == Step.APPLY)
					? "Apply #" + status.lastRun() + " of phase " + status.phase()
							+ " failed, and the approval it used was spent: run a new dry run and have it approved."
					: "The latest dry run of phase " + status.phase() + ", #" + status.lastRun()
							+ ", failed: run a new one.";
			default -> (status.detail() != null && status.definedIn() > 0 && status.lastRun() != null)
					? "Phase " + status.phase() + " has no dry run to apply. " + status.detail()
					: "Phase " + status.phase() + " has no dry run: run one, review it, then apply.";
		};
	}

	/** The target tables a phase reads or writes: connection and table. */
	private static List<String[]> tables(PhaseSpec phase, PlanVersion version) {
		String target = version.spec().target();
		List<String[]> tables = new ArrayList<>();
		if (phase instanceof ImportPhase importing) {
			tables.add(new String[] { target, importing.table() });
		}
		else if (phase instanceof MappingPhase mapping) {
			tables.add(new String[] { mapping.oldSide().connection(), mapping.oldSide().table() });
			tables.add(new String[] { mapping.newSide().connection(), mapping.newSide().table() });
			tables.add(new String[] { target, mapping.into().table() });
		}
		return tables;
	}

}
