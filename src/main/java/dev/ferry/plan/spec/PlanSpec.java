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
 * @param window when its applies may start, or null for any time
 */
public record PlanSpec(String plan, String title, String description, String source, String target,
		List<PhaseSpec> phases, List<GateSpec> gates, ApprovalsSpec approvals, WindowSpec window) {

	public PlanSpec {
		phases = List.copyOf(phases);
		gates = List.copyOf(gates);
	}

	/**
	 * Every connection the plan names: its source and target, and each connection a
	 * phase, a side, a table reference or a gate names ({@code connection}, {@code on},
	 * {@code reference}).
	 */
	public java.util.SortedSet<String> connections() {
		java.util.SortedSet<String> names = new java.util.TreeSet<>();
		collect(this, names);
		return names;
	}

	private static final java.util.Set<String> CONNECTION_FIELDS = java.util.Set.of("source", "target", "connection",
			"on", "reference");

	private static void collect(Object value, java.util.Set<String> names) {
		if (value instanceof Iterable<?> items) {
			items.forEach(item -> collect(item, names));
			return;
		}
		if (value instanceof java.util.Map<?, ?> map) {
			map.values().forEach(item -> collect(item, names));
			return;
		}
		if (value instanceof Optional<?> optional) {
			optional.ifPresent(item -> collect(item, names));
			return;
		}
		if (value == null || !value.getClass().isRecord()) {
			return;
		}
		for (java.lang.reflect.RecordComponent component : value.getClass().getRecordComponents()) {
			Object field;
			try {
				java.lang.reflect.Method accessor = component.getAccessor();
				accessor.trySetAccessible();
				field = accessor.invoke(value);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
			if (field instanceof String name && CONNECTION_FIELDS.contains(component.getName())) {
				names.add(name);
			}
			else if (!(field instanceof String)) {
				collect(field, names);
			}
		}
	}

	public Optional<PhaseSpec> phase(String id) {
		return this.phases.stream().filter((phase) -> phase.id().equals(id)).findFirst();
	}

	public Optional<GateSpec> gate(String id) {
		return this.gates.stream().filter((gate) -> gate.id().equals(id)).findFirst();
	}

	/**
	 * The phases of this plan that a version saved after {@code older} changes: each
	 * phase whose definition or whose gates differ from {@code older}'s (or that is new,
	 * or has moved), and every phase after the first of them, since a later phase works
	 * on what the earlier ones did. A change of the source, the target or the approvals
	 * changes every phase. In the order of this plan.
	 */
	public List<String> changedSince(PlanSpec older) {
		List<String> changed = new java.util.ArrayList<>();
		boolean all = older == null || !java.util.Objects.equals(this.source, older.source)
				|| !java.util.Objects.equals(this.target, older.target)
				|| !java.util.Objects.equals(this.approvals, older.approvals);
		for (int i = 0; i < this.phases.size(); i++) {
			PhaseSpec phase = this.phases.get(i);
			all = all || i >= older.phases.size() || !phase.equals(older.phases.get(i))
					|| !gatesOf(phase).equals(older.gatesOf(older.phases.get(i)));
			if (all) {
				changed.add(phase.id());
			}
		}
		return changed;
	}

	private List<GateSpec> gatesOf(PhaseSpec phase) {
		return phase.gates().stream().map(id -> gate(id).orElse(null)).toList();
	}

}
