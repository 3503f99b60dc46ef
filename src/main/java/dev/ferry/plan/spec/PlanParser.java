package dev.ferry.plan.spec;

import java.util.List;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Builds a {@link PlanSpec} from the composed node tree of one plan, reading its
 * top-level keys and approvals itself and its gates and phases with {@link GateParser}
 * and {@link PhaseParser}. Every reading method reports its own problem at the node it
 * concerns and returns {@code null}, so reading goes on and later problems are found too;
 * the {@link PlanSpec} is only used when no error was reported.
 */
final class PlanParser {

	private static final List<String> PLAN_KEYS = List.of("plan", "title", "description", "source", "target", "phases",
			"gates", "approvals", "window");

	private static final int MAX_OPERATORS = 100;

	private final Problems problems;

	private final PlanValues values;

	private final PlanNames names;

	private final GateParser gates;

	private final PhaseParser phases;

	PlanParser(PlanEnvironment environment, Problems problems) {
		this.problems = problems;
		this.values = new PlanValues(problems, environment.checksReadQueries());
		this.names = new PlanNames(environment, this.values);
		this.gates = new GateParser(environment, this.values, this.names);
		this.phases = new PhaseParser(this.values, this.names, this.gates);
	}

	/**
	 * The connections, tables and columns the parsed plan names, for the catalogue check.
	 */
	PlanNames names() {
		return this.names;
	}

	PlanSpec parse(MappingNode root) {
		Fields plan = Fields.read(this.values, root, "", "the plan", PLAN_KEYS);
		String id = plan.required("plan") ? this.values.id(plan.value("plan"), "plan", "Plan id") : null;
		String title = this.values.optionalText(plan, "title");
		String description = this.values.optionalText(plan, "description");
		String source = plan.required("source") ? this.names.readSource(plan.value("source"), "source") : null;
		String target = plan.required("target") ? this.names.readTarget(plan.value("target"), "target") : null;
		ApprovalsSpec approvals = plan.has("approvals") ? approvals(plan.value("approvals"), "approvals")
				: ApprovalsSpec.DEFAULT;
		WindowSpec window = plan.has("window") && !PlanValues.isNull(plan.value("window"))
				? new WindowParser(this.values).window(plan.value("window"), "window") : null;
		List<GateSpec> gates = plan.has("gates") ? this.gates.gates(plan.value("gates"), "gates") : List.of();
		List<PhaseSpec> phases = plan.required("phases") ? this.phases.phases(plan.value("phases"), "phases")
				: List.of();
		this.gates.checkReferences(gates);
		if (this.problems.hasErrors()) {
			return null;
		}
		return new PlanSpec(id, title, description, source, target, phases, gates, approvals, window);
	}

	private ApprovalsSpec approvals(Node node, String path) {
		if (PlanValues.isNull(node)) {
			return ApprovalsSpec.DEFAULT;
		}
		Fields approvals = Fields.read(this.values, node, path, "approvals", List.of("operators", "owner-signoff"));
		if (!approvals.isMapping()) {
			return ApprovalsSpec.DEFAULT;
		}
		Long operators = approvals.has("operators")
				? this.values.wholeNumber(approvals.value("operators"), path + ".operators", 1, MAX_OPERATORS)
				: ApprovalsSpec.DEFAULT.operators();
		Boolean ownerSignoff = approvals.has("owner-signoff")
				? this.values.bool(approvals.value("owner-signoff"), path + ".owner-signoff") : Boolean.FALSE;
		return new ApprovalsSpec((operators != null) ? operators.intValue() : ApprovalsSpec.DEFAULT.operators(),
				Boolean.TRUE.equals(ownerSignoff));
	}

}
