package dev.ferry.gate.internal;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.gate.GateResult;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.ActionCondition;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.GateSpec;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.security.SystemActor;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Promise 3's gate part: an apply needs every error-level gate of its phase to pass. An
 * apply request measures them again first (what was measured last may be stale: a table
 * changed, a decision was made); a page showing why Apply is locked uses the last
 * evaluations.
 */
@Component
@Order(1) // the gates' reasons before the approvals'
class GateLocks implements ActionCondition {

	private final StoredGates gates;

	GateLocks(StoredGates gates) {
		this.gates = gates;
	}

	@Override
	public List<String> refusals(PhaseStatus status, PlanVersion version, PhaseSpec phase, Action action,
			boolean measure) {
		return (action == Action.APPLY) ? refusals(version, phase, measure) : List.of();
	}

	/**
	 * Why the phase's gates block an apply (or an approval), measured again or as last.
	 */
	List<String> refusals(PlanVersion version, PhaseSpec phase, boolean measure) {
		return refusals(version, phase, measure, false);
	}

	/**
	 * Why the phase's gates block an approval of its dry run: as for an apply, except
	 * {@code snapshot-fresh}, which is about the moment of the apply (a snapshot is taken
	 * right before it, after the approvals), not about the dry run.
	 */
	List<String> approvalRefusals(PlanVersion version, PhaseSpec phase) {
		return approvalRefusals(version, phase, true);
	}

	/** {@link #approvalRefusals(PlanVersion, PhaseSpec)}, measured again or as last. */
	List<String> approvalRefusals(PlanVersion version, PhaseSpec phase, boolean measure) {
		return refusals(version, phase, measure, true);
	}

	private List<String> refusals(PlanVersion version, PhaseSpec phase, boolean measure, boolean forApproval) {
		// measuring is Ferry's work, whoever asked (an owner signing off may not measure
		// by itself)
		List<GateResult> results = measure ? SystemActor.call(() -> this.gates.evaluate(version.plan(), phase.id()))
				: this.gates.latest(version.plan(), phase.id());
		List<String> refusals = new ArrayList<>();
		for (GateResult gate : results) {
			if (!gate.blocks() || (forApproval && GateSpec.Check.SNAPSHOT_FRESH.yamlName().equals(gate.check()))) {
				continue;
			}
			if (gate.passed() == null) {
				refusals.add("Gate " + gate.id() + " is not measured"
						+ (gate.detail() != null ? ": " + gate.detail() : " yet."));
			}
			else {
				refusals.add("Gate " + gate.id() + " fails: " + (gate.value() != null ? gate.value() : "no value")
						+ ", needs " + gate.threshold() + "." + (gate.detail() != null ? " " + gate.detail() : ""));
			}
		}
		return refusals;
	}

}
