package dev.ferry.plan.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import dev.ferry.plan.spec.PhaseSpec.Kind;
import dev.ferry.plan.spec.VerifyPhase.OnFail;

/**
 * Reads the phases of a plan: what every phase has (id, kind, gates) and the preflight,
 * snapshot, sql and verify phases, handing import and mapping phases to their own
 * readers.
 */
final class PhaseParser {

	static final int MAX_BATCH_SIZE = 1_000_000;

	private static final Map<Kind, List<String>> KEYS_BY_KIND = Map.of(Kind.PREFLIGHT,
			List.of("id", "kind", "connection", "count", "checksum", "snapshot", "gates"), Kind.SNAPSHOT,
			List.of("id", "kind", "connection", "tables", "gates"), Kind.SQL,
			List.of("id", "kind", "connection", "apply", "rollback", "irreversible", "gates"), Kind.IMPORT,
			List.of("id", "kind", "connection", "query", "table", "key", "columns", "delete-missing", "batch-size",
					"gates"),
			Kind.MAPPING, List.of("id", "kind", "connection", "old", "new", "block", "tie-breakers", "accept",
					"unique-new", "into", "batch-size", "gates"),
			Kind.VERIFY, List.of("id", "kind", "gates", "on-fail"));

	private final PlanValues values;

	private final PlanNames names;

	private final GateParser gates;

	private final ImportPhaseParser imports;

	private final MappingPhaseParser mappings;

	PhaseParser(PlanValues values, PlanNames names, GateParser gates) {
		this.values = values;
		this.names = names;
		this.gates = gates;
		this.imports = new ImportPhaseParser(values, names);
		this.mappings = new MappingPhaseParser(values, names);
	}

	List<PhaseSpec> phases(Node node, String path) {
		List<Node> items = this.values.list(node, path, "a list of phases");
		if (items == null) {
			return List.of();
		}
		if (items.isEmpty()) {
			this.values.error(node, path, "A plan needs at least one phase");
		}
		List<PhaseSpec> phases = new ArrayList<>();
		Map<String, Node> seenIds = new HashMap<>();
		for (int i = 0; i < items.size(); i++) {
			String itemPath = path + "[" + i + "]";
			PhaseSpec phase = phase(items.get(i), itemPath, i, seenIds);
			if (phase != null) {
				phases.add(phase);
			}
		}
		return phases;
	}

	private PhaseSpec phase(Node node, String path, int index, Map<String, Node> seenIds) {
		if (!(node instanceof MappingNode)) {
			this.values.error(node, path,
					"Expected a phase (a mapping with id, kind, ...), found " + PlanValues.describe(node));
			return null;
		}
		Node kindNode = Fields.peek((MappingNode) node, "kind");
		Kind kind = null;
		if (kindNode != null && !PlanValues.isNull(kindNode)) {
			kind = this.values.choice(kindNode, path + ".kind", "phase kind", Kind.values(), Kind::yamlName);
		}
		// without a kind the allowed keys are unknown: only id and kind are checked then
		Fields phase = Fields.read(this.values, node, path,
				(kind != null) ? PlanValues.article(kind.yamlName()) + " phase" : "a phase",
				(kind != null) ? KEYS_BY_KIND.get(kind) : null);
		String id = phase.required("id") ? this.values.id(phase.value("id"), path + ".id", "Phase id") : null;
		if (id != null) {
			Node previous = seenIds.putIfAbsent(id, phase.value("id"));
			if (previous != null) {
				this.values.error(phase.value("id"), path + ".id", "Phase id '" + id + "' is used twice (first at line "
						+ (previous.getStartMark().getLine() + 1) + ")");
			}
		}
		if (!phase.required("kind") || kind == null) {
			return null;
		}
		if (kind == Kind.VERIFY && index == 0) {
			this.values.error(phase.value("kind"), path + ".kind",
					"A verify phase cannot be the first phase: it checks the apply of the phase before it");
		}
		List<String> gates = phaseGates(phase, path, kind, kind == Kind.VERIFY);
		return switch (kind) {
			case PREFLIGHT -> preflight(phase, path, id, index, gates);
			case SNAPSHOT -> snapshot(phase, path, id, index, gates);
			case SQL -> sql(phase, path, id, index, gates);
			case IMPORT -> this.imports.importPhase(phase, path, id, index, gates);
			case MAPPING -> this.mappings.mapping(phase, path, id, index, gates);
			case VERIFY -> verify(phase, path, id, gates);
		};
	}

	private List<String> phaseGates(Fields phase, String path, Kind kind, boolean required) {
		if (!phase.has("gates")) {
			if (required) {
				phase.required("gates");
			}
			return List.of();
		}
		String gatesPath = path + ".gates";
		List<Node> items = this.values.list(phase.value("gates"), gatesPath, "a list of gate ids");
		if (items == null) {
			return List.of();
		}
		if (required && items.isEmpty()) {
			this.values.error(phase.value("gates"), gatesPath, "A verify phase needs at least one gate");
		}
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			String itemPath = gatesPath + "[" + i + "]";
			String gateId = this.values.id(items.get(i), itemPath, "Gate id");
			if (gateId == null) {
				continue;
			}
			if (ids.contains(gateId)) {
				this.values.error(items.get(i), itemPath, "Gate '" + gateId + "' is listed twice");
				continue;
			}
			ids.add(gateId);
			this.gates.reference(gateId, kind, items.get(i), itemPath);
		}
		return ids;
	}

	private PreflightPhase preflight(Fields phase, String path, String id, int index, List<String> gates) {
		String connection = this.names.connection(phase, "connection", path, this.names.target());
		List<TableRef> count = tableRefs(phase, "count", path, connection, index);
		List<TableRef> checksum = tableRefs(phase, "checksum", path, connection, index);
		List<TableRef> snapshot = tableRefs(phase, "snapshot", path, connection, index);
		return new PreflightPhase(id, connection, count, checksum, snapshot, gates);
	}

	private SnapshotPhase snapshot(Fields phase, String path, String id, int index, List<String> gates) {
		String connection = this.names.connection(phase, "connection", path, this.names.target());
		if (!phase.required("tables")) {
			return null;
		}
		List<TableRef> tables = tableRefs(phase, "tables", path, connection, index);
		if (tables.isEmpty()) {
			this.values.error(phase.value("tables"), path + ".tables", "A snapshot phase needs at least one table");
			return null;
		}
		java.util.Set<String> seen = new java.util.HashSet<>();
		for (TableRef table : tables) {
			if (!seen.add(table.connection() + "." + table.table().toLowerCase(java.util.Locale.ROOT))) {
				this.values.error(phase.value("tables"), path + ".tables", "Table " + table + " is listed twice");
				return null;
			}
		}
		return new SnapshotPhase(id, connection, tables, gates);
	}

	private List<TableRef> tableRefs(Fields phase, String key, String path, String connection, int index) {
		if (!phase.has(key)) {
			return List.of();
		}
		String listPath = path + "." + key;
		List<Node> items = this.values.list(phase.value(key), listPath, "a list of tables (source.T, target.T or T)");
		if (items == null) {
			return List.of();
		}
		List<TableRef> refs = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			String itemPath = listPath + "[" + i + "]";
			TableRef ref = this.names.tableRef(items.get(i), itemPath, connection);
			if (ref != null) {
				refs.add(ref);
				this.names.useTable(ref.connection(), ref.table(), items.get(i), itemPath, index, List.of());
			}
		}
		return refs;
	}

	private SqlPhase sql(Fields phase, String path, String id, int index, List<String> gates) {
		String connection = this.names.connection(phase, "connection", path, this.names.target());
		String apply = phase.required("apply") ? this.values.requiredText(phase.value("apply"), path + ".apply") : null;
		boolean irreversible = phase.has("irreversible")
				&& Boolean.TRUE.equals(this.values.bool(phase.value("irreversible"), path + ".irreversible"));
		String rollback = null;
		if (irreversible) {
			if (phase.has("rollback")) {
				this.values.error(phase.key("rollback"), path + ".rollback",
						"A phase with irreversible: true has no rollback; remove one of them");
			}
		}
		else if (phase.required("rollback", " (required unless irreversible: true)")) {
			rollback = this.values.requiredText(phase.value("rollback"), path + ".rollback");
		}
		if (apply != null && connection != null) {
			this.names.schemaChanges(connection, apply, index, id);
		}
		return new SqlPhase(id, connection, apply, rollback, irreversible, gates);
	}

	private VerifyPhase verify(Fields phase, String path, String id, List<String> gates) {
		OnFail onFail = phase.has("on-fail") ? this.values.choice(phase.value("on-fail"), path + ".on-fail",
				"on-fail value", OnFail.values(), OnFail::yamlName) : OnFail.ALERT;
		return new VerifyPhase(id, gates, (onFail != null) ? onFail : OnFail.ALERT);
	}

}
