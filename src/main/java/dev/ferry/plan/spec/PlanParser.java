package dev.ferry.plan.spec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import dev.ferry.plan.spec.CatalogueCheck.AddedColumn;
import dev.ferry.plan.spec.CatalogueCheck.ColumnUse;
import dev.ferry.plan.spec.CatalogueCheck.CreatedTable;
import dev.ferry.plan.spec.CatalogueCheck.TableUse;
import dev.ferry.plan.spec.GateSpec.Level;
import dev.ferry.plan.spec.MappingPhase.Accept;
import dev.ferry.plan.spec.MappingPhase.Block;
import dev.ferry.plan.spec.MappingPhase.Compare;
import dev.ferry.plan.spec.MappingPhase.Into;
import dev.ferry.plan.spec.MappingPhase.Side;
import dev.ferry.plan.spec.MappingPhase.TieBreaker;
import dev.ferry.plan.spec.PhaseSpec.Kind;
import dev.ferry.plan.spec.VerifyPhase.OnFail;

/**
 * Builds a {@link PlanSpec} from the composed node tree of one plan, reporting every
 * problem at the node it concerns. Every reading method reports its own problem and
 * returns {@code null}, so reading goes on and later problems are found too; the
 * {@link PlanSpec} is only used when no error was reported.
 */
final class PlanParser {

	private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

	private static final int MAX_ID_LENGTH = 64;

	/**
	 * Names Ferry quotes into SQL: nothing that could end an identifier or a statement.
	 */
	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private static final int MAX_IDENTIFIER_LENGTH = 128;

	private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?[0-9]+");

	private static final Pattern DECIMAL = Pattern
		.compile("[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");

	private static final Pattern PERCENT = Pattern.compile("([-+]?[0-9]+(?:\\.[0-9]+)?)\\s*%");

	private static final Pattern ADD_COLUMN = Pattern.compile("\\bALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?"
			+ "(?:\"?[A-Za-z_][A-Za-z0-9_]*\"?\\s*\\.\\s*)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?\\s+ADD\\s+(?:COLUMN\\s+)?"
			+ "(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?", Pattern.CASE_INSENSITIVE);

	private static final List<String> PLAN_KEYS = List.of("plan", "title", "description", "source", "target", "phases",
			"gates", "approvals");

	private static final Map<Kind, List<String>> KEYS_BY_KIND = Map.of(Kind.PREFLIGHT,
			List.of("id", "kind", "connection", "count", "checksum", "snapshot", "gates"), Kind.SQL,
			List.of("id", "kind", "connection", "apply", "rollback", "irreversible", "gates"), Kind.IMPORT,
			List.of("id", "kind", "connection", "query", "table", "key", "columns", "delete-missing", "batch-size",
					"gates"),
			Kind.MAPPING, List.of("id", "kind", "connection", "old", "new", "block", "tie-breakers", "accept",
					"unique-new", "into", "batch-size", "gates"),
			Kind.VERIFY, List.of("id", "kind", "gates", "on-fail"));

	private static final Map<GateSpec.Check, List<String>> KEYS_BY_CHECK = Map.of(GateSpec.Check.ROW_COUNT,
			List.of("id", "check", "level", "table", "expect", "tolerance"), GateSpec.Check.REJECTED_ROWS,
			List.of("id", "check", "level", "max"), GateSpec.Check.MAPPING_COVERAGE,
			List.of("id", "check", "level", "at-least"), GateSpec.Check.MAPPING_OPEN,
			List.of("id", "check", "level", "max"), GateSpec.Check.SQL,
			List.of("id", "check", "level", "on", "query", "min", "max", "equals"), GateSpec.Check.SCHEMA_MATCHES,
			List.of("id", "check", "level", "on", "reference", "tables"), GateSpec.Check.HTTP,
			List.of("id", "check", "level", "url", "pointer", "min", "max", "equals"), GateSpec.Check.QUERY_UNCHANGED,
			List.of("id", "check", "level", "on", "query"));

	private static final List<String> COLUMN_RULE_KEYS = List.of("from", "type", "format", "normalize", "null-if",
			"required", "default");

	private static final int MAX_BATCH_SIZE = 1_000_000;

	private static final int MAX_OPERATORS = 100;

	private final PlanEnvironment environment;

	private final Problems problems;

	private final List<TableUse> tableUses = new ArrayList<>();

	private final List<CreatedTable> createdTables = new ArrayList<>();

	private final List<AddedColumn> addedColumns = new ArrayList<>();

	/** Gate references of phases, checked once all gates are read. */
	private final List<GateReference> gateReferences = new ArrayList<>();

	/** Ids of every gate written, also of those with other errors. */
	private final Set<String> definedGateIds = new HashSet<>();

	private String source;

	private String target;

	PlanParser(PlanEnvironment environment, Problems problems) {
		this.environment = environment;
		this.problems = problems;
	}

	List<TableUse> tableUses() {
		return this.tableUses;
	}

	List<CreatedTable> createdTables() {
		return this.createdTables;
	}

	List<AddedColumn> addedColumns() {
		return this.addedColumns;
	}

	PlanSpec parse(MappingNode root) {
		Fields plan = fields(root, "", "the plan", PLAN_KEYS);
		String id = plan.required("plan") ? id(plan.value("plan"), "plan", "Plan id") : null;
		String title = optionalText(plan, "title");
		String description = optionalText(plan, "description");
		this.source = plan.required("source") ? existingConnection(plan.value("source"), "source") : null;
		this.target = plan.required("target") ? existingConnection(plan.value("target"), "target") : null;
		ApprovalsSpec approvals = plan.has("approvals") ? approvals(plan.value("approvals"), "approvals")
				: ApprovalsSpec.DEFAULT;
		List<GateSpec> gates = plan.has("gates") ? gates(plan.value("gates"), "gates") : List.of();
		List<PhaseSpec> phases = plan.required("phases") ? phases(plan.value("phases"), "phases") : List.of();
		checkGateReferences(gates);
		if (this.problems.hasErrors()) {
			return null;
		}
		return new PlanSpec(id, title, description, this.source, this.target, phases, gates, approvals);
	}

	// ---------------------------------------------------------------- phases

	private List<PhaseSpec> phases(Node node, String path) {
		List<Node> items = list(node, path, "a list of phases");
		if (items == null) {
			return List.of();
		}
		if (items.isEmpty()) {
			error(node, path, "A plan needs at least one phase");
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
			error(node, path, "Expected a phase (a mapping with id, kind, ...), found " + describe(node));
			return null;
		}
		Node kindNode = peek((MappingNode) node, "kind");
		Kind kind = null;
		if (kindNode != null && !isNull(kindNode)) {
			kind = choice(kindNode, path + ".kind", "phase kind", Kind.values(), Kind::yamlName);
		}
		// without a kind the allowed keys are unknown: only id and kind are checked then
		Fields phase = fields(node, path, (kind != null) ? article(kind.yamlName()) + " phase" : "a phase",
				(kind != null) ? KEYS_BY_KIND.get(kind) : null);
		String id = phase.required("id") ? id(phase.value("id"), path + ".id", "Phase id") : null;
		if (id != null) {
			Node previous = seenIds.putIfAbsent(id, phase.value("id"));
			if (previous != null) {
				error(phase.value("id"), path + ".id", "Phase id '" + id + "' is used twice (first at line "
						+ (previous.getStartMark().getLine() + 1) + ")");
			}
		}
		if (!phase.required("kind") || kind == null) {
			return null;
		}
		if (kind == Kind.VERIFY && index == 0) {
			error(phase.value("kind"), path + ".kind",
					"A verify phase cannot be the first phase: it checks the apply of the phase before it");
		}
		List<String> gates = phaseGates(phase, path, kind, kind == Kind.VERIFY);
		return switch (kind) {
			case PREFLIGHT -> preflight(phase, path, id, index, gates);
			case SQL -> sql(phase, path, id, index, gates);
			case IMPORT -> importPhase(phase, path, id, index, gates);
			case MAPPING -> mapping(phase, path, id, index, gates);
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
		List<Node> items = list(phase.value("gates"), gatesPath, "a list of gate ids");
		if (items == null) {
			return List.of();
		}
		if (required && items.isEmpty()) {
			error(phase.value("gates"), gatesPath, "A verify phase needs at least one gate");
		}
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			String itemPath = gatesPath + "[" + i + "]";
			String gateId = id(items.get(i), itemPath, "Gate id");
			if (gateId == null) {
				continue;
			}
			if (ids.contains(gateId)) {
				error(items.get(i), itemPath, "Gate '" + gateId + "' is listed twice");
				continue;
			}
			ids.add(gateId);
			this.gateReferences.add(new GateReference(gateId, kind, items.get(i), itemPath));
		}
		return ids;
	}

	private PreflightPhase preflight(Fields phase, String path, String id, int index, List<String> gates) {
		String connection = phaseConnection(phase, path, this.target);
		List<TableRef> count = tableRefs(phase, "count", path, connection, index);
		List<TableRef> checksum = tableRefs(phase, "checksum", path, connection, index);
		List<TableRef> snapshot = tableRefs(phase, "snapshot", path, connection, index);
		return new PreflightPhase(id, connection, count, checksum, snapshot, gates);
	}

	private List<TableRef> tableRefs(Fields phase, String key, String path, String connection, int index) {
		if (!phase.has(key)) {
			return List.of();
		}
		String listPath = path + "." + key;
		List<Node> items = list(phase.value(key), listPath, "a list of tables (source.T, target.T or T)");
		if (items == null) {
			return List.of();
		}
		List<TableRef> refs = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			String itemPath = listPath + "[" + i + "]";
			TableRef ref = tableRef(items.get(i), itemPath, connection);
			if (ref != null) {
				refs.add(ref);
				useTable(ref.connection(), ref.table(), items.get(i), itemPath, index, List.of());
			}
		}
		return refs;
	}

	private SqlPhase sql(Fields phase, String path, String id, int index, List<String> gates) {
		String connection = phaseConnection(phase, path, this.target);
		String apply = phase.required("apply") ? requiredText(phase.value("apply"), path + ".apply") : null;
		boolean irreversible = phase.has("irreversible")
				&& Boolean.TRUE.equals(bool(phase.value("irreversible"), path + ".irreversible"));
		String rollback = null;
		if (irreversible) {
			if (phase.has("rollback")) {
				error(phase.key("rollback"), path + ".rollback",
						"A phase with irreversible: true has no rollback; remove one of them");
			}
		}
		else if (phase.required("rollback", " (required unless irreversible: true)")) {
			rollback = requiredText(phase.value("rollback"), path + ".rollback");
		}
		if (apply != null && connection != null) {
			Matcher created = SqlPhase.CREATE_TABLE.matcher(apply);
			while (created.find()) {
				this.createdTables.add(new CreatedTable(connection, created.group(1), index, id));
			}
			Matcher added = ADD_COLUMN.matcher(apply);
			while (added.find()) {
				if (List.of("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK")
					.contains(added.group(2).toUpperCase(Locale.ROOT))) {
					continue; // ADD CONSTRAINT ..., not a column
				}
				this.addedColumns.add(new AddedColumn(connection, added.group(1), added.group(2), index));
			}
		}
		return new SqlPhase(id, connection, apply, rollback, irreversible, gates);
	}

	private ImportPhase importPhase(Fields phase, String path, String id, int index, List<String> gates) {
		String connection = phaseConnection(phase, path, this.source);
		String query = phase.required("query") ? requiredText(phase.value("query"), path + ".query") : null;
		String table = phase.required("table") ? identifier(phase.value("table"), path + ".table", "table") : null;
		List<ColumnUse> columnUses = new ArrayList<>();
		List<String> key = List.of();
		if (phase.required("key")) {
			key = identifiers(phase.value("key"), path + ".key", "column", "a list of column names", columnUses);
			if (key != null && key.isEmpty()) {
				error(phase.value("key"), path + ".key", "A key needs at least one column");
			}
		}
		Map<String, ColumnRule> columns = new LinkedHashMap<>();
		Map<String, Node> columnKeys = new HashMap<>();
		if (phase.required("columns")) {
			Fields rules = fields(phase.value("columns"), path + ".columns", "columns", null);
			if (rules.isMapping()) {
				if (rules.names().isEmpty()) {
					error(phase.value("columns"), path + ".columns", "An import needs at least one column");
				}
				for (String name : rules.names()) {
					String columnPath = path + ".columns." + name;
					String column = identifier(rules.key(name), columnPath, "column");
					ColumnRule rule = columnRule(rules.value(name), columnPath, name);
					if (column != null && rule != null) {
						columns.put(column, rule);
						columnKeys.put(column.toLowerCase(Locale.ROOT), rules.key(name));
						columnUses.add(new ColumnUse(column, rules.key(name), columnPath));
					}
				}
			}
		}
		if (key != null && !columns.isEmpty()) {
			List<Node> keyNodes = (phase.value("key") instanceof SequenceNode seq) ? seq.getValue() : List.of();
			for (int i = 0; i < key.size() && i < keyNodes.size(); i++) {
				if (!columnKeys.containsKey(key.get(i).toLowerCase(Locale.ROOT))) {
					error(keyNodes.get(i), path + ".key[" + i + "]",
							"Key column '" + key.get(i) + "' is not one of the columns");
				}
			}
		}
		boolean deleteMissing = phase.has("delete-missing")
				&& Boolean.TRUE.equals(bool(phase.value("delete-missing"), path + ".delete-missing"));
		int batchSize = ImportPhase.DEFAULT_BATCH_SIZE;
		if (phase.has("batch-size")) {
			Long value = wholeNumber(phase.value("batch-size"), path + ".batch-size", 1, MAX_BATCH_SIZE);
			batchSize = (value != null) ? value.intValue() : batchSize;
		}
		if (table != null) {
			useTable(this.target, table, phase.value("table"), path + ".table", index, columnUses);
		}
		return new ImportPhase(id, connection, query, table, (key != null) ? key : List.of(), columns, deleteMissing,
				batchSize, gates);
	}

	private ColumnRule columnRule(Node node, String path, String name) {
		if (isNull(node)) {
			return new ColumnRule(name, ColumnRule.Type.STRING, null, List.of(), List.of(), false, null);
		}
		Fields rule = fields(node, path, "a column rule", COLUMN_RULE_KEYS);
		if (!rule.isMapping()) {
			return null;
		}
		String from = rule.has("from") ? identifier(rule.value("from"), path + ".from", "column") : name;
		ColumnRule.Type type = rule.has("type") ? choice(rule.value("type"), path + ".type", "column type",
				ColumnRule.Type.values(), ColumnRule.Type::yamlName) : ColumnRule.Type.STRING;
		String format = null;
		if (rule.has("format")) {
			format = requiredText(rule.value("format"), path + ".format");
			if (type != null && type != ColumnRule.Type.DATE && type != ColumnRule.Type.TIMESTAMP) {
				error(rule.key("format"), path + ".format", "format is only for columns of type date or timestamp");
			}
			else if (format != null) {
				try {
					DateTimeFormatter.ofPattern(format);
				}
				catch (IllegalArgumentException ex) {
					error(rule.value("format"), path + ".format",
							"'" + format + "' is not a date pattern (for example yyyy-MM-dd or dd.MM.yyyy)");
				}
			}
		}
		List<Normalization> normalize = normalizations(rule, path);
		List<String> nullIf = new ArrayList<>();
		if (rule.has("null-if")) {
			List<Node> items = list(rule.value("null-if"), path + ".null-if", "a list of values");
			for (int i = 0; items != null && i < items.size(); i++) {
				String value = scalarValue(items.get(i), path + ".null-if[" + i + "]");
				if (value != null) {
					nullIf.add(value);
				}
			}
		}
		boolean required = rule.has("required")
				&& Boolean.TRUE.equals(bool(rule.value("required"), path + ".required"));
		String defaultValue = null;
		if (rule.has("default")) {
			defaultValue = scalarValue(rule.value("default"), path + ".default");
			if (defaultValue != null && type != null && format == null && !fitsType(defaultValue, type)) {
				error(rule.value("default"), path + ".default",
						"Default '" + defaultValue + "' is not a valid " + type.yamlName() + " value");
			}
		}
		if (from == null || type == null) {
			return null;
		}
		return new ColumnRule(from, type, format, normalize, nullIf, required, defaultValue);
	}

	private static boolean fitsType(String value, ColumnRule.Type type) {
		return switch (type) {
			case STRING -> true;
			case INTEGER -> WHOLE_NUMBER.matcher(value).matches();
			case DECIMAL -> DECIMAL.matcher(value).matches();
			case BOOLEAN ->
				Set.of("true", "false", "yes", "no", "y", "n", "1", "0").contains(value.toLowerCase(Locale.ROOT));
			case DATE, TIMESTAMP -> true;
		};
	}

	private List<Normalization> normalizations(Fields owner, String path) {
		if (!owner.has("normalize")) {
			return List.of();
		}
		String listPath = path + ".normalize";
		List<Node> items = list(owner.value("normalize"), listPath, "a list of normalizations");
		List<Normalization> normalizations = new ArrayList<>();
		for (int i = 0; items != null && i < items.size(); i++) {
			Normalization normalization = choice(items.get(i), listPath + "[" + i + "]", "normalization",
					Normalization.values(), Normalization::yamlName);
			if (normalization != null) {
				normalizations.add(normalization);
			}
		}
		return normalizations;
	}

	private MappingPhase mapping(Fields phase, String path, String id, int index, List<String> gates) {
		String connection = phaseConnection(phase, path, this.target);
		List<ColumnUse> oldColumns = new ArrayList<>();
		List<ColumnUse> newColumns = new ArrayList<>();
		Side oldSide = phase.required("old")
				? side(phase.value("old"), path + ".old", "the old side", connection, index, oldColumns) : null;
		Side newSide = phase.required("new")
				? side(phase.value("new"), path + ".new", "the new side", connection, index, newColumns) : null;
		Block block = phase.required("block") ? block(phase.value("block"), path + ".block", oldColumns, newColumns)
				: null;
		List<TieBreaker> tieBreakers = new ArrayList<>();
		if (phase.has("tie-breakers")) {
			String listPath = path + ".tie-breakers";
			List<Node> items = list(phase.value("tie-breakers"), listPath, "a list of tie-breakers");
			for (int i = 0; items != null && i < items.size(); i++) {
				TieBreaker tieBreaker = tieBreaker(items.get(i), listPath + "[" + i + "]", oldColumns, newColumns);
				if (tieBreaker != null) {
					tieBreakers.add(tieBreaker);
				}
			}
		}
		Accept accept = phase.has("accept") ? accept(phase.value("accept"), path + ".accept") : Accept.DEFAULT;
		boolean uniqueNew = phase.has("unique-new")
				&& Boolean.TRUE.equals(bool(phase.value("unique-new"), path + ".unique-new"));
		Into into = phase.required("into") ? into(phase.value("into"), path + ".into", index) : null;
		int batchSize = ImportPhase.DEFAULT_BATCH_SIZE;
		if (phase.has("batch-size")) {
			Long value = wholeNumber(phase.value("batch-size"), path + ".batch-size", 1, MAX_BATCH_SIZE);
			batchSize = (value != null) ? value.intValue() : batchSize;
		}
		return new MappingPhase(id, oldSide, newSide, block, tieBreakers, accept, uniqueNew, into, batchSize, gates);
	}

	private Side side(Node node, String path, String what, String phaseConnection, int index, List<ColumnUse> columns) {
		Fields side = fields(node, path, what, List.of("table", "key", "connection"));
		if (!side.isMapping()) {
			return null;
		}
		String table = side.required("table") ? identifier(side.value("table"), path + ".table", "table") : null;
		String key = side.required("key") ? columnName(side.value("key"), path + ".key", columns) : null;
		String connection = side.has("connection") ? connection(side.value("connection"), path + ".connection")
				: phaseConnection;
		if (table == null || key == null || connection == null) {
			return null;
		}
		// the block and tie-breakers add their columns to this use later
		useTable(connection, table, side.value("table"), path + ".table", index, columns);
		return new Side(table, key, connection);
	}

	private Block block(Node node, String path, List<ColumnUse> oldColumns, List<ColumnUse> newColumns) {
		Fields block = fields(node, path, "the block", List.of("old", "new", "normalize"));
		if (!block.isMapping()) {
			return null;
		}
		String oldColumn = block.required("old") ? columnName(block.value("old"), path + ".old", oldColumns) : null;
		String newColumn = block.required("new") ? columnName(block.value("new"), path + ".new", newColumns) : null;
		List<Normalization> normalize = normalizations(block, path);
		return (oldColumn != null && newColumn != null) ? new Block(oldColumn, newColumn, normalize) : null;
	}

	private TieBreaker tieBreaker(Node node, String path, List<ColumnUse> oldColumns, List<ColumnUse> newColumns) {
		Fields tieBreaker = fields(node, path, "a tie-breaker",
				List.of("old", "new", "weight", "normalize", "compare"));
		if (!tieBreaker.isMapping()) {
			return null;
		}
		String oldColumn = tieBreaker.required("old") ? columnName(tieBreaker.value("old"), path + ".old", oldColumns)
				: null;
		String newColumn = tieBreaker.required("new") ? columnName(tieBreaker.value("new"), path + ".new", newColumns)
				: null;
		Double weight = 1.0;
		if (tieBreaker.has("weight")) {
			weight = number(tieBreaker.value("weight"), path + ".weight");
			if (weight != null && !(weight > 0)) {
				error(tieBreaker.value("weight"), path + ".weight", "A weight must be greater than 0");
				weight = null;
			}
		}
		List<Normalization> normalize = normalizations(tieBreaker, path);
		Compare compare = tieBreaker.has("compare") ? choice(tieBreaker.value("compare"), path + ".compare",
				"comparison", Compare.values(), Compare::yamlName) : Compare.EXACT;
		if (oldColumn == null || newColumn == null || weight == null || compare == null) {
			return null;
		}
		return new TieBreaker(oldColumn, newColumn, weight, normalize, compare);
	}

	private Accept accept(Node node, String path) {
		Fields accept = fields(node, path, "accept", List.of("min-score", "min-margin"));
		if (!accept.isMapping()) {
			return Accept.DEFAULT;
		}
		Double minScore = accept.has("min-score") ? fraction(accept.value("min-score"), path + ".min-score")
				: Accept.DEFAULT.minScore();
		Double minMargin = accept.has("min-margin") ? fraction(accept.value("min-margin"), path + ".min-margin")
				: Accept.DEFAULT.minMargin();
		return (minScore != null && minMargin != null) ? new Accept(minScore, minMargin) : Accept.DEFAULT;
	}

	private Into into(Node node, String path, int index) {
		Fields into = fields(node, path, "into", List.of("table", "old", "new", "status", "confidence"));
		if (!into.isMapping()) {
			return null;
		}
		List<ColumnUse> columns = new ArrayList<>();
		String table = into.required("table") ? identifier(into.value("table"), path + ".table", "table") : null;
		String oldColumn = into.required("old") ? columnName(into.value("old"), path + ".old", columns) : null;
		String newColumn = into.required("new") ? columnName(into.value("new"), path + ".new", columns) : null;
		String status = into.required("status") ? columnName(into.value("status"), path + ".status", columns) : null;
		String confidence = into.has("confidence") ? columnName(into.value("confidence"), path + ".confidence", columns)
				: null;
		if (table == null || oldColumn == null || newColumn == null || status == null) {
			return null;
		}
		useTable(this.target, table, into.value("table"), path + ".table", index, columns);
		return new Into(table, oldColumn, newColumn, status, confidence);
	}

	private VerifyPhase verify(Fields phase, String path, String id, List<String> gates) {
		OnFail onFail = phase.has("on-fail")
				? choice(phase.value("on-fail"), path + ".on-fail", "on-fail value", OnFail.values(), OnFail::yamlName)
				: OnFail.ALERT;
		return new VerifyPhase(id, gates, (onFail != null) ? onFail : OnFail.ALERT);
	}

	private String phaseConnection(Fields phase, String path, String defaultConnection) {
		return phase.has("connection") ? connection(phase.value("connection"), path + ".connection")
				: defaultConnection;
	}

	// ---------------------------------------------------------------- gates

	private List<GateSpec> gates(Node node, String path) {
		List<Node> items = list(node, path, "a list of gates");
		if (items == null) {
			return List.of();
		}
		List<GateSpec> gates = new ArrayList<>();
		Map<String, Node> seenIds = new HashMap<>();
		for (int i = 0; i < items.size(); i++) {
			GateSpec gate = gate(items.get(i), path + "[" + i + "]", seenIds);
			if (gate != null) {
				gates.add(gate);
			}
		}
		return gates;
	}

	private GateSpec gate(Node node, String path, Map<String, Node> seenIds) {
		if (!(node instanceof MappingNode)) {
			error(node, path, "Expected a gate (a mapping with id, check, ...), found " + describe(node));
			return null;
		}
		Node checkNode = peek((MappingNode) node, "check");
		GateSpec.Check check = null;
		if (checkNode != null && !isNull(checkNode)) {
			check = choice(checkNode, path + ".check", "gate check", GateSpec.Check.values(), GateSpec.Check::yamlName);
		}
		Fields gate = fields(node, path, (check != null) ? article(check.yamlName()) + " gate" : "a gate",
				(check != null) ? KEYS_BY_CHECK.get(check) : null);
		String id = gate.required("id") ? id(gate.value("id"), path + ".id", "Gate id") : null;
		if (id != null) {
			this.definedGateIds.add(id);
			Node previous = seenIds.putIfAbsent(id, gate.value("id"));
			if (previous != null) {
				error(gate.value("id"), path + ".id", "Gate id '" + id + "' is used twice (first at line "
						+ (previous.getStartMark().getLine() + 1) + ")");
			}
		}
		Level level = gate.has("level")
				? choice(gate.value("level"), path + ".level", "level", Level.values(), Level::yamlName) : Level.ERROR;
		if (!gate.required("check") || check == null) {
			return null;
		}
		GateSpec spec = switch (check) {
			case ROW_COUNT -> rowCount(gate, path, id, level);
			case REJECTED_ROWS -> {
				Long max = gate.required("max") ? wholeNumber(gate.value("max"), path + ".max", 0, Long.MAX_VALUE)
						: null;
				yield (max != null) ? new RejectedRowsGate(id, level, max) : null;
			}
			case MAPPING_COVERAGE -> {
				Double atLeast = gate.required("at-least") ? percent(gate.value("at-least"), path + ".at-least") : null;
				yield (atLeast != null) ? new MappingCoverageGate(id, level, atLeast) : null;
			}
			case MAPPING_OPEN -> {
				Long max = gate.required("max") ? wholeNumber(gate.value("max"), path + ".max", 0, Long.MAX_VALUE)
						: null;
				yield (max != null) ? new MappingOpenGate(id, level, max) : null;
			}
			case SQL -> {
				String on = gateConnection(gate, path);
				String query = gate.required("query") ? requiredText(gate.value("query"), path + ".query") : null;
				Bounds bounds = bounds(gate, path, "sql");
				yield (on != null && query != null && bounds != null) ? new SqlGate(id, level, on, query, bounds)
						: null;
			}
			case SCHEMA_MATCHES -> schemaMatches(gate, path, id, level);
			case HTTP -> http(gate, path, id, level);
			case QUERY_UNCHANGED -> {
				String on = gateConnection(gate, path);
				String query = gate.required("query") ? requiredText(gate.value("query"), path + ".query") : null;
				yield (on != null && query != null) ? new QueryUnchangedGate(id, level, on, query) : null;
			}
		};
		return (id != null && level != null) ? spec : null;
	}

	private RowCountGate rowCount(Fields gate, String path, String id, Level level) {
		TableRef table = null;
		if (gate.required("table")) {
			table = tableRef(gate.value("table"), path + ".table", this.target);
			if (table != null) {
				useTable(table.connection(), table.table(), gate.value("table"), path + ".table", Integer.MAX_VALUE,
						List.of());
			}
		}
		RowCountGate.Expected expected = null;
		if (gate.required("expect")) {
			Node expect = gate.value("expect");
			String text = (expect instanceof ScalarNode scalar) ? scalar.getValue() : null;
			if (text != null && WHOLE_NUMBER.matcher(text).matches()) {
				Long rows = wholeNumber(expect, path + ".expect", 0, Long.MAX_VALUE);
				expected = (rows != null) ? new RowCountGate.FixedRows(rows) : null;
			}
			else {
				TableRef expectedTable = tableRef(expect, path + ".expect", this.target);
				if (expectedTable != null) {
					expected = new RowCountGate.TableRows(expectedTable);
					useTable(expectedTable.connection(), expectedTable.table(), expect, path + ".expect",
							Integer.MAX_VALUE, List.of());
				}
			}
		}
		Tolerance tolerance = gate.required("tolerance") ? tolerance(gate.value("tolerance"), path + ".tolerance")
				: null;
		if (table == null || expected == null || tolerance == null) {
			return null;
		}
		return new RowCountGate(id, level, table, expected, tolerance);
	}

	private Tolerance tolerance(Node node, String path) {
		String text = scalarText(node);
		if (text != null && PERCENT.matcher(text.strip()).matches()) {
			Double percent = percent(node, path);
			return (percent != null) ? Tolerance.percent(percent) : null;
		}
		if (text != null && WHOLE_NUMBER.matcher(text).matches()) {
			Long rows = wholeNumber(node, path, 0, Long.MAX_VALUE);
			return (rows != null) ? Tolerance.rows(rows) : null;
		}
		error(node, path,
				"Expected a tolerance: a percentage of the expected rows like 0.5%, or a number of rows like 10");
		return null;
	}

	private SchemaMatchesGate schemaMatches(Fields gate, String path, String id, Level level) {
		String on = gateConnection(gate, path);
		String reference = gate.required("reference") ? connection(gate.value("reference"), path + ".reference") : null;
		if (on != null && on.equals(reference)) {
			error(gate.value("reference"), path + ".reference",
					"The reference connection must differ from on ('" + on + "')");
		}
		List<String> tables = null;
		if (gate.required("tables")) {
			List<Node> items = list(gate.value("tables"), path + ".tables", "a list of table names");
			if (items != null) {
				tables = new ArrayList<>();
				if (items.isEmpty()) {
					error(gate.value("tables"), path + ".tables", "A schema-matches gate needs at least one table");
				}
				for (int i = 0; i < items.size(); i++) {
					String itemPath = path + ".tables[" + i + "]";
					String table = identifier(items.get(i), itemPath, "table");
					if (table != null) {
						tables.add(table);
						// only the reference: on the checked connection a missing table
						// is a
						// difference the gate reports, possibly one the plan itself fixes
						useTable(reference, table, items.get(i), itemPath, Integer.MAX_VALUE, List.of());
					}
				}
			}
		}
		if (on == null || reference == null || tables == null) {
			return null;
		}
		return new SchemaMatchesGate(id, level, on, reference, tables);
	}

	private HttpGate http(Fields gate, String path, String id, Level level) {
		URI url = gate.required("url") ? httpUrl(gate.value("url"), path + ".url") : null;
		String pointer = null;
		if (gate.required("pointer")) {
			pointer = requiredText(gate.value("pointer"), path + ".pointer");
			if (pointer != null && !isJsonPointer(pointer)) {
				error(gate.value("pointer"), path + ".pointer",
						"'" + pointer + "' is not a JSON pointer (for example /status or /items/0/count)");
				pointer = null;
			}
		}
		Bounds bounds = bounds(gate, path, "http");
		return (url != null && pointer != null && bounds != null) ? new HttpGate(id, level, url, pointer, bounds)
				: null;
	}

	private URI httpUrl(Node node, String path) {
		String text = requiredText(node, path);
		if (text == null) {
			return null;
		}
		URI url;
		try {
			url = new URI(text);
		}
		catch (URISyntaxException ex) {
			error(node, path, "'" + text + "' is not a URL");
			return null;
		}
		String scheme = url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| url.getHost() == null) {
			error(node, path, "Expected an http or https URL with a host, for example https://status.example.com/x");
			return null;
		}
		Set<String> allowed = this.environment.allowedHttpHosts();
		boolean isAllowed = !this.environment.checksHttpHosts()
				|| allowed.stream().anyMatch(url.getHost()::equalsIgnoreCase);
		if (!isAllowed) {
			error(node, path,
					"Host '" + url.getHost() + "' is not allowed for http gates; allowed: "
							+ (allowed.isEmpty() ? "none (see ferry.http-checks.allowed-hosts)"
									: allowed.stream().sorted().collect(Collectors.joining(", "))));
			return null;
		}
		return url;
	}

	private static boolean isJsonPointer(String pointer) {
		if (!pointer.isEmpty() && !pointer.startsWith("/")) {
			return false;
		}
		for (int i = 0; i < pointer.length(); i++) {
			if (pointer.charAt(i) == '~'
					&& (i + 1 == pointer.length() || (pointer.charAt(i + 1) != '0' && pointer.charAt(i + 1) != '1'))) {
				return false;
			}
		}
		return true;
	}

	private Bounds bounds(Fields gate, String path, String check) {
		BigDecimal min = gate.has("min") ? decimal(gate.value("min"), path + ".min") : null;
		BigDecimal max = gate.has("max") ? decimal(gate.value("max"), path + ".max") : null;
		String equals = gate.has("equals") ? requiredText(gate.value("equals"), path + ".equals") : null;
		if (!gate.has("min") && !gate.has("max") && !gate.has("equals")) {
			error(gate.node(), path, "A " + check + " gate needs min, max or equals");
			return null;
		}
		if (gate.has("equals") && (gate.has("min") || gate.has("max"))) {
			error(gate.key("equals"), path + ".equals", "equals cannot be combined with min or max");
			return null;
		}
		if (min != null && max != null && min.compareTo(max) > 0) {
			error(gate.value("max"), path + ".max", "max (" + max + ") is smaller than min (" + min + ")");
			return null;
		}
		if ((gate.has("min") && min == null) || (gate.has("max") && max == null)
				|| (gate.has("equals") && equals == null)) {
			return null;
		}
		return new Bounds(min, max, equals);
	}

	private String gateConnection(Fields gate, String path) {
		return gate.has("on") ? connection(gate.value("on"), path + ".on") : this.target;
	}

	private void checkGateReferences(List<GateSpec> gates) {
		Map<String, GateSpec> byId = new HashMap<>();
		gates.forEach((gate) -> byId.putIfAbsent(gate.id(), gate));
		for (GateReference reference : this.gateReferences) {
			if (!this.definedGateIds.contains(reference.gateId())) {
				error(reference.node(), reference.path(), "Gate '" + reference.gateId() + "' is not defined in gates");
				continue;
			}
			GateSpec gate = byId.get(reference.gateId());
			if (gate == null) {
				continue;
			}
			Kind needed = switch (gate.check()) {
				case REJECTED_ROWS -> Kind.IMPORT;
				case MAPPING_COVERAGE, MAPPING_OPEN -> Kind.MAPPING;
				default -> null;
			};
			if (needed != null && needed != reference.phaseKind()) {
				error(reference.node(), reference.path(), "Gate '" + gate.id() + "' checks " + gate.check().yamlName()
						+ ", which only " + article(needed.yamlName()) + " phase has");
			}
		}
	}

	// ---------------------------------------------------------------- approvals

	private ApprovalsSpec approvals(Node node, String path) {
		if (isNull(node)) {
			return ApprovalsSpec.DEFAULT;
		}
		Fields approvals = fields(node, path, "approvals", List.of("operators", "owner-signoff"));
		if (!approvals.isMapping()) {
			return ApprovalsSpec.DEFAULT;
		}
		Long operators = approvals.has("operators")
				? wholeNumber(approvals.value("operators"), path + ".operators", 1, MAX_OPERATORS)
				: ApprovalsSpec.DEFAULT.operators();
		Boolean ownerSignoff = approvals.has("owner-signoff")
				? bool(approvals.value("owner-signoff"), path + ".owner-signoff") : Boolean.FALSE;
		return new ApprovalsSpec((operators != null) ? operators.intValue() : ApprovalsSpec.DEFAULT.operators(),
				Boolean.TRUE.equals(ownerSignoff));
	}

	// ---------------------------------------------------------------- values

	private String optionalText(Fields fields, String key) {
		return fields.has(key) ? requiredText(fields.value(key), key) : null;
	}

	private String requiredText(Node node, String path) {
		if (node instanceof ScalarNode scalar && !isNull(scalar)) {
			if (scalar.getValue().isBlank()) {
				error(node, path, "Expected text, found an empty value");
				return null;
			}
			return scalar.getValue();
		}
		error(node, path, "Expected text, found " + describe(node));
		return null;
	}

	/** A value compared with data, where the empty text is meaningful. */
	private String scalarValue(Node node, String path) {
		String text = scalarText(node);
		if (text == null) {
			error(node, path, "Expected a single value, found " + describe(node));
		}
		return text;
	}

	private String id(Node node, String path, String what) {
		String text = requiredText(node, path);
		if (text == null) {
			return null;
		}
		if (text.length() > MAX_ID_LENGTH || !ID.matcher(text).matches()) {
			error(node, path, what + " '" + abbreviate(text) + "' is not valid: use lower-case letters, digits and -,"
					+ " starting with a letter or digit, at most " + MAX_ID_LENGTH + " characters");
			return null;
		}
		return text;
	}

	private String identifier(Node node, String path, String what) {
		String text = requiredText(node, path);
		if (text == null) {
			return null;
		}
		if (text.length() > MAX_IDENTIFIER_LENGTH || !IDENTIFIER.matcher(text).matches()) {
			error(node, path, "'" + abbreviate(text) + "' is not a valid " + what + " name: use letters, digits and _,"
					+ " starting with a letter or _, at most " + MAX_IDENTIFIER_LENGTH + " characters");
			return null;
		}
		return text;
	}

	private String columnName(Node node, String path, List<ColumnUse> uses) {
		String column = identifier(node, path, "column");
		if (column != null) {
			uses.add(new ColumnUse(column, node, path));
		}
		return column;
	}

	private List<String> identifiers(Node node, String path, String what, String expected, List<ColumnUse> uses) {
		List<Node> items = list(node, path, expected);
		if (items == null) {
			return null;
		}
		List<String> names = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			String itemPath = path + "[" + i + "]";
			String name = identifier(items.get(i), itemPath, what);
			if (name == null) {
				continue;
			}
			if (names.stream().anyMatch(name::equalsIgnoreCase)) {
				error(items.get(i), itemPath, "Column '" + name + "' is listed twice");
				continue;
			}
			names.add(name);
			uses.add(new ColumnUse(name, items.get(i), itemPath));
		}
		return names;
	}

	private TableRef tableRef(Node node, String path, String defaultConnection) {
		String text = requiredText(node, path);
		if (text == null) {
			return null;
		}
		int dot = text.indexOf('.');
		TableRef.Side side = TableRef.Side.DEFAULT;
		String table = text;
		String connection = defaultConnection;
		if (dot >= 0) {
			String prefix = text.substring(0, dot);
			table = text.substring(dot + 1);
			if (prefix.equals("source")) {
				side = TableRef.Side.SOURCE;
				connection = this.source;
			}
			else if (prefix.equals("target")) {
				side = TableRef.Side.TARGET;
				connection = this.target;
			}
			else {
				error(node, path, "'" + abbreviate(text) + "' is not a table reference: write source.T, target.T or T");
				return null;
			}
		}
		if (table.length() > MAX_IDENTIFIER_LENGTH || !IDENTIFIER.matcher(table).matches()) {
			error(node, path, "'" + abbreviate(table) + "' is not a valid table name: use letters, digits and _,"
					+ " starting with a letter or _, at most " + MAX_IDENTIFIER_LENGTH + " characters");
			return null;
		}
		return new TableRef(side, table, connection);
	}

	/** A connection named by {@code source}, {@code target} or its own name. */
	private String connection(Node node, String path) {
		String name = requiredText(node, path);
		if ("source".equals(name)) {
			return this.source;
		}
		if ("target".equals(name)) {
			return this.target;
		}
		return (name != null) ? checkConnection(node, path, name) : null;
	}

	private String existingConnection(Node node, String path) {
		String name = requiredText(node, path);
		return (name != null) ? checkConnection(node, path, name) : null;
	}

	private String checkConnection(Node node, String path, String name) {
		if (!this.environment.connectionExists(name)) {
			error(node, path, "Connection '" + abbreviate(name) + "' does not exist");
			return null;
		}
		return name;
	}

	private Boolean bool(Node node, String path) {
		String text = scalarText(node);
		if (text != null) {
			switch (text.toLowerCase(Locale.ROOT)) {
				case "true", "yes", "on" -> {
					return Boolean.TRUE;
				}
				case "false", "no", "off" -> {
					return Boolean.FALSE;
				}
				default -> {
				}
			}
		}
		error(node, path, "Expected true or false, found " + describe(node));
		return null;
	}

	private Long wholeNumber(Node node, String path, long min, long max) {
		String text = scalarText(node);
		if (text == null || !WHOLE_NUMBER.matcher(text).matches()) {
			error(node, path, "Expected a whole number, found " + describe(node));
			return null;
		}
		BigInteger value = new BigInteger(text);
		if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
			error(node, path, (max == Long.MAX_VALUE) ? "Expected a number of at least " + min + ", found " + text
					: "Expected a number from " + min + " to " + max + ", found " + text);
			return null;
		}
		return value.longValue();
	}

	private BigDecimal decimal(Node node, String path) {
		String text = scalarText(node);
		if (text == null || !DECIMAL.matcher(text).matches()) {
			error(node, path, "Expected a number, found " + describe(node));
			return null;
		}
		return new BigDecimal(text);
	}

	private Double number(Node node, String path) {
		BigDecimal value = decimal(node, path);
		return (value != null) ? value.doubleValue() : null;
	}

	private Double fraction(Node node, String path) {
		Double value = number(node, path);
		if (value != null && (value < 0 || value > 1)) {
			error(node, path, "Expected a number from 0 to 1, found " + scalarText(node));
			return null;
		}
		return value;
	}

	private Double percent(Node node, String path) {
		String text = scalarText(node);
		Matcher matcher = (text != null) ? PERCENT.matcher(text.strip()) : null;
		if (matcher == null || !matcher.matches()) {
			error(node, path, "Expected a percentage like 98% or 0.5%, found " + describe(node));
			return null;
		}
		double percent = Double.parseDouble(matcher.group(1));
		if (percent < 0 || percent > 100) {
			error(node, path, "A percentage must be from 0% to 100%, found " + text);
			return null;
		}
		return percent;
	}

	private <E> E choice(Node node, String path, String what, E[] values, Function<E, String> yamlName) {
		String text = scalarText(node);
		if (text != null) {
			for (E value : values) {
				if (yamlName.apply(value).equals(text)) {
					return value;
				}
			}
		}
		String allowed = Arrays.stream(values).map(yamlName).collect(Collectors.joining(", "));
		error(node, path, ((text != null) ? "Unknown " + what + " '" + abbreviate(text) + "'"
				: "Expected a " + what + ", found " + describe(node)) + "; allowed: " + allowed);
		return null;
	}

	private List<Node> list(Node node, String path, String expected) {
		if (node instanceof SequenceNode sequence) {
			return sequence.getValue();
		}
		error(node, path, "Expected " + expected + ", found " + describe(node));
		return null;
	}

	private void useTable(String connection, String table, Node node, String path, int phaseIndex,
			List<ColumnUse> columns) {
		if (connection != null && table != null) {
			this.tableUses.add(new TableUse(connection, table, node.getStartMark(), path, phaseIndex, columns));
		}
	}

	private void error(Node node, String path, String message) {
		this.problems.error(node.getStartMark(), path, message);
	}

	private static String scalarText(Node node) {
		return (node instanceof ScalarNode scalar && !isNull(scalar)) ? scalar.getValue() : null;
	}

	private static boolean isNull(Node node) {
		return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
	}

	static String describe(Node node) {
		if (node instanceof SequenceNode) {
			return "a list";
		}
		if (node instanceof MappingNode) {
			return "a mapping";
		}
		if (isNull(node)) {
			return "nothing";
		}
		return "'" + abbreviate(((ScalarNode) node).getValue()) + "'";
	}

	/** Keeps messages short when a hostile value is long. */
	private static String abbreviate(String text) {
		return (text.length() <= 60) ? text : text.substring(0, 57) + "...";
	}

	private static String article(String word) {
		return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
	}

	/** A gate id listed by a phase. */
	private record GateReference(String gateId, Kind phaseKind, Node node, String path) {

	}

	/**
	 * Reads the keys of a mapping, reporting keys that are not plain names, duplicate
	 * keys and keys the context does not allow.
	 * @param what the mapping in words, for messages ("an import phase")
	 * @param allowed the allowed keys, {@code null} when any name is allowed
	 */
	private Fields fields(Node node, String path, String what, List<String> allowed) {
		Fields fields = new Fields(node, path, what);
		if (!(node instanceof MappingNode mapping)) {
			error(node, path, "Expected a mapping (key: value) for " + what + ", found " + describe(node));
			return fields;
		}
		Map<String, Node> seen = new HashMap<>();
		for (NodeTuple entry : mapping.getValue()) {
			Node keyNode = entry.getKeyNode();
			if (!(keyNode instanceof ScalarNode key) || isNull(keyNode)) {
				error(keyNode, path, "Keys must be plain names, found " + describe(keyNode));
				continue;
			}
			String name = key.getValue();
			String keyPath = child(path, name);
			Node first = seen.putIfAbsent(name, keyNode);
			if (first != null) {
				error(keyNode, keyPath, "Key '" + abbreviate(name) + "' is used twice in this mapping (first at line "
						+ (first.getStartMark().getLine() + 1) + ")");
				continue;
			}
			if (allowed != null && !allowed.contains(name)) {
				error(keyNode, keyPath, "Unknown key '" + abbreviate(name) + "' in " + what + closest(name, allowed)
						+ "; allowed: " + String.join(", ", allowed));
				continue;
			}
			fields.entries.put(name, entry);
		}
		return fields;
	}

	/** A hint for a typo: the allowed key at most two edits away, if there is one. */
	private static String closest(String name, List<String> allowed) {
		if (name.length() > 40) {
			return "";
		}
		return allowed.stream()
			.filter((candidate) -> editDistance(name, candidate) <= 2)
			.findFirst()
			.map((candidate) -> " (did you mean '" + candidate + "'?)")
			.orElse("");
	}

	private static int editDistance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/** The first value of a key, read before the mapping's allowed keys are known. */
	private static Node peek(MappingNode mapping, String key) {
		for (NodeTuple entry : mapping.getValue()) {
			if (entry.getKeyNode() instanceof ScalarNode scalar && key.equals(scalar.getValue())) {
				return entry.getValueNode();
			}
		}
		return null;
	}

	private static String child(String path, String key) {
		return path.isEmpty() ? key : path + "." + key;
	}

	/** The accepted keys of one mapping, in the order written. */
	private final class Fields {

		private final Node node;

		private final String path;

		private final String what;

		private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

		private Fields(Node node, String path, String what) {
			this.node = node;
			this.path = path;
			this.what = what;
		}

		boolean isMapping() {
			return this.node instanceof MappingNode;
		}

		Node node() {
			return this.node;
		}

		List<String> names() {
			return List.copyOf(this.entries.keySet());
		}

		/** Whether the key is written with a value; {@code key: ~} counts as absent. */
		boolean has(String key) {
			NodeTuple entry = this.entries.get(key);
			return entry != null && !isNull(entry.getValueNode());
		}

		boolean required(String key) {
			return required(key, "");
		}

		/**
		 * Reports a missing or empty required key.
		 * @return whether the key has a value
		 */
		boolean required(String key, String hint) {
			if (has(key)) {
				return true;
			}
			if (!isMapping()) {
				// the wrong type of the mapping itself is reported already
				return false;
			}
			NodeTuple entry = this.entries.get(key);
			if (entry != null) {
				error(entry.getValueNode(), child(this.path, key), "Key '" + key + "' needs a value" + hint);
			}
			else {
				error(this.node, child(this.path, key), "Missing key '" + key + "' in " + this.what + hint);
			}
			return false;
		}

		Node value(String key) {
			NodeTuple entry = this.entries.get(key);
			return (entry != null) ? entry.getValueNode() : null;
		}

		Node key(String key) {
			NodeTuple entry = this.entries.get(key);
			return (entry != null) ? entry.getKeyNode() : null;
		}

	}

}
