package dev.ferry.plan.spec;

import java.util.List;
import java.util.Optional;

/**
 * A valid plan, as parsed from its YAML text. Connection names are resolved: phases and
 * table references carry the connection they run on, never {@code source} or
 * {@code target} placeholders.
 *
 * @param plan the plan id, unique among plans
 * @param title free text, may be {@code null}
 * @param description free text, may be {@code null}
 * @param source the name of the connection data comes from
 * @param target the name of the connection being migrated
 * @param phases the phases in the order they apply
 * @param gates the named criteria phases refer to
 * @param approvals what an apply needs besides passing gates
 */
public record PlanSpec(String plan, String title, String description, String source, String target,
		List<PhaseSpec> phases, List<GateSpec> gates, ApprovalsSpec approvals) {

	public PlanSpec {
		phases = List.copyOf(phases);
		gates = List.copyOf(gates);
	}

	public Optional<PhaseSpec> phase(String id) {
		return this.phases.stream().filter((phase) -> phase.id().equals(id)).findFirst();
	}

	public Optional<GateSpec> gate(String id) {
		return this.gates.stream().filter((gate) -> gate.id().equals(id)).findFirst();
	}

}
