package dev.ferry.lifecycle.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.ferry.lifecycle.PhaseState;

import static dev.ferry.lifecycle.PhaseState.APPLIED;
import static dev.ferry.lifecycle.PhaseState.APPLYING;
import static dev.ferry.lifecycle.PhaseState.APPROVED;
import static dev.ferry.lifecycle.PhaseState.DRY_RUNNING;
import static dev.ferry.lifecycle.PhaseState.DRY_RUN_READY;
import static dev.ferry.lifecycle.PhaseState.FAILED;
import static dev.ferry.lifecycle.PhaseState.NOT_RUN;
import static dev.ferry.lifecycle.PhaseState.ROLLED_BACK;
import static dev.ferry.lifecycle.PhaseState.ROLLING_BACK;
import static dev.ferry.lifecycle.PhaseState.VERIFIED;
import static dev.ferry.lifecycle.PhaseState.VERIFYING;
import static dev.ferry.lifecycle.PhaseState.VERIFY_FAILED;

/**
 * Every transition of the phase lifecycle, as a table: each state change the lifecycle
 * writes must be one of these (it refuses to write another), and the diagram in
 * {@code docs/architecture.md} is rendered from this table (a test keeps the two equal).
 * {@link Rules} says, for a state, why an action is refused; this table says where each
 * event may lead.
 */
final class Transitions {

	/** One arrow: from a state, on an event, to a state. */
	record Transition(PhaseState from, String event, PhaseState to) {
	}

	static final List<Transition> ALL = table();

	private Transitions() {
	}

	static boolean allowed(PhaseState from, String event, PhaseState to) {
		if (event.equals("plan-changed")) {
			// a new version voids what a changed phase measured and approved, or leaves
			// it
			return from == to || (to == NOT_RUN
					&& EnumSet.of(DRY_RUN_READY, APPROVED, FAILED, VERIFIED, VERIFY_FAILED).contains(from));
		}
		return ALL.contains(new Transition(from, event, to));
	}

	private static List<Transition> table() {
		List<Transition> all = new ArrayList<>();
		for (PhaseState from : List.of(NOT_RUN, DRY_RUN_READY, APPROVED, FAILED, ROLLED_BACK)) {
			all.add(new Transition(from, "dry-run-requested", DRY_RUNNING));
		}
		all.add(new Transition(DRY_RUNNING, "dry-run-succeeded", DRY_RUN_READY));
		all.add(new Transition(DRY_RUNNING, "dry-run-succeeded", NOT_RUN));
		all.add(new Transition(DRY_RUNNING, "dry-run-failed", FAILED));
		all.add(new Transition(DRY_RUNNING, "dry-run-cancelled", NOT_RUN));
		all.add(new Transition(DRY_RUN_READY, "approved", APPROVED));
		all.add(new Transition(APPROVED, "approvals-voided", DRY_RUN_READY));
		all.add(new Transition(DRY_RUN_READY, "apply-requested", APPLYING));
		all.add(new Transition(APPROVED, "apply-requested", APPLYING));
		all.add(new Transition(APPLYING, "apply-succeeded", APPLIED));
		all.add(new Transition(APPLYING, "apply-succeeded", VERIFYING));
		all.add(new Transition(APPLYING, "apply-failed", FAILED));
		all.add(new Transition(APPLYING, "apply-cancelled", FAILED));
		all.add(new Transition(VERIFYING, "apply-verified", VERIFIED));
		all.add(new Transition(VERIFYING, "apply-verify-failed", VERIFY_FAILED));
		all.add(new Transition(VERIFIED, "apply-verify-failed", VERIFY_FAILED));
		for (PhaseState from : List.of(APPLIED, VERIFYING, VERIFIED, VERIFY_FAILED, FAILED)) {
			all.add(new Transition(from, "rollback-requested", ROLLING_BACK));
		}
		all.add(new Transition(ROLLING_BACK, "rollback-succeeded", ROLLED_BACK));
		all.add(new Transition(ROLLING_BACK, "rollback-failed", FAILED));
		all.add(new Transition(ROLLING_BACK, "rollback-cancelled", FAILED));
		// a verify phase: its verdict on the apply before it
		for (PhaseState from : List.of(NOT_RUN, VERIFYING, VERIFIED, VERIFY_FAILED)) {
			all.add(new Transition(from, "verify-pending", VERIFYING));
			all.add(new Transition(from, "verify-passed", VERIFIED));
			all.add(new Transition(from, "verify-failed", VERIFY_FAILED));
		}
		for (PhaseState from : List.of(VERIFYING, VERIFIED, VERIFY_FAILED)) {
			all.add(new Transition(from, "verdict-voided", NOT_RUN));
		}
		return List.copyOf(all);
	}

	/**
	 * The lifecycle as a Mermaid state diagram: one arrow per pair of states, labelled
	 * with the events that take it (a plan edit's voiding drawn once per state it voids).
	 */
	static String mermaid() {
		StringBuilder text = new StringBuilder("stateDiagram-v2\n");
		text.append("  [*] --> not_run\n");
		Set<String> arrows = new LinkedHashSet<>();
		for (Transition t : ALL) {
			if (t.from() == t.to()) {
				continue;
			}
			String events = ALL.stream()
				.filter(o -> o.from() == t.from() && o.to() == t.to())
				.map(Transition::event)
				.distinct()
				.reduce((a, b) -> a + ", " + b)
				.orElseThrow();
			arrows.add("  " + id(t.from()) + " --> " + id(t.to()) + " : " + events + "\n");
		}
		for (PhaseState from : List.of(DRY_RUN_READY, APPROVED, FAILED, VERIFIED, VERIFY_FAILED)) {
			String arrow = "  " + id(from) + " --> not_run : ";
			boolean merged = false;
			for (String existing : List.copyOf(arrows)) {
				if (existing.startsWith(arrow)) {
					arrows.remove(existing);
					arrows.add(existing.stripTrailing() + ", plan-changed\n");
					merged = true;
				}
			}
			if (!merged) {
				arrows.add(arrow + "plan-changed\n");
			}
		}
		arrows.forEach(text::append);
		return text.toString();
	}

	private static String id(PhaseState state) {
		return state.code().replace('-', '_');
	}

}
