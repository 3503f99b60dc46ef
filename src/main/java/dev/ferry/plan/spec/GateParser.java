package dev.ferry.plan.spec;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import dev.ferry.plan.spec.GateSpec.Level;
import dev.ferry.plan.spec.PhaseSpec.Kind;

/**
 * Reads the gates of a plan, each by its check, and checks the phases' references to them
 * once all gates are read.
 */
final class GateParser {

	private static final Map<GateSpec.Check, List<String>> KEYS_BY_CHECK = Map.of(GateSpec.Check.ROW_COUNT,
			List.of("id", "check", "level", "table", "expect", "tolerance"), GateSpec.Check.REJECTED_ROWS,
			List.of("id", "check", "level", "max"), GateSpec.Check.MAPPING_COVERAGE,
			List.of("id", "check", "level", "at-least"), GateSpec.Check.MAPPING_OPEN,
			List.of("id", "check", "level", "max"), GateSpec.Check.SQL,
			List.of("id", "check", "level", "on", "query", "min", "max", "equals"), GateSpec.Check.SCHEMA_MATCHES,
			List.of("id", "check", "level", "on", "reference", "tables"), GateSpec.Check.HTTP,
			List.of("id", "check", "level", "url", "pointer", "min", "max", "equals"), GateSpec.Check.QUERY_UNCHANGED,
			List.of("id", "check", "level", "on", "query"), GateSpec.Check.SNAPSHOT_FRESH,
			List.of("id", "check", "level", "max-age", "tables"));

	private static final Pattern AGE = Pattern.compile("(\\d{1,9})\\s*(s|m|min|h|d)");

	private final PlanEnvironment environment;

	private final PlanValues values;

	private final PlanNames names;

	/** Gate references of phases, checked once all gates are read. */
	private final List<GateReference> gateReferences = new ArrayList<>();

	/** Ids of every gate written, also of those with other errors. */
	private final Set<String> definedGateIds = new HashSet<>();

	GateParser(PlanEnvironment environment, PlanValues values, PlanNames names) {
		this.environment = environment;
		this.values = values;
		this.names = names;
	}

	List<GateSpec> gates(Node node, String path) {
		List<Node> items = this.values.list(node, path, "a list of gates");
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
			this.values.error(node, path,
					"Expected a gate (a mapping with id, check, ...), found " + PlanValues.describe(node));
			return null;
		}
		Node checkNode = Fields.peek((MappingNode) node, "check");
		GateSpec.Check check = null;
		if (checkNode != null && !PlanValues.isNull(checkNode)) {
			check = this.values.choice(checkNode, path + ".check", "gate check", GateSpec.Check.values(),
					GateSpec.Check::yamlName);
		}
		Fields gate = Fields.read(this.values, node, path,
				(check != null) ? PlanValues.article(check.yamlName()) + " gate" : "a gate",
				(check != null) ? KEYS_BY_CHECK.get(check) : null);
		String id = gate.required("id") ? this.values.id(gate.value("id"), path + ".id", "Gate id") : null;
		if (id != null) {
			this.definedGateIds.add(id);
			Node previous = seenIds.putIfAbsent(id, gate.value("id"));
			if (previous != null) {
				this.values.error(gate.value("id"), path + ".id", "Gate id '" + id + "' is used twice (first at line "
						+ (previous.getStartMark().getLine() + 1) + ")");
			}
		}
		Level level = gate.has("level")
				? this.values.choice(gate.value("level"), path + ".level", "level", Level.values(), Level::yamlName)
				: Level.ERROR;
		if (!gate.required("check") || check == null) {
			return null;
		}
		GateSpec spec = switch (check) {
			case ROW_COUNT -> rowCount(gate, path, id, level);
			case REJECTED_ROWS -> {
				Long max = gate.required("max")
						? this.values.wholeNumber(gate.value("max"), path + ".max", 0, Long.MAX_VALUE) : null;
				yield (max != null) ? new RejectedRowsGate(id, level, max) : null;
			}
			case MAPPING_COVERAGE -> {
				Double atLeast = gate.required("at-least")
						? this.values.percent(gate.value("at-least"), path + ".at-least") : null;
				yield (atLeast != null) ? new MappingCoverageGate(id, level, atLeast) : null;
			}
			case MAPPING_OPEN -> {
				Long max = gate.required("max")
						? this.values.wholeNumber(gate.value("max"), path + ".max", 0, Long.MAX_VALUE) : null;
				yield (max != null) ? new MappingOpenGate(id, level, max) : null;
			}
			case SQL -> {
				String on = this.names.connection(gate, "on", path, this.names.target());
				String query = gate.required("query") ? this.values.readQuery(gate.value("query"), path + ".query")
						: null;
				Bounds bounds = bounds(gate, path, "sql");
				yield (on != null && query != null && bounds != null) ? new SqlGate(id, level, on, query, bounds)
						: null;
			}
			case SCHEMA_MATCHES -> schemaMatches(gate, path, id, level);
			case HTTP -> http(gate, path, id, level);
			case QUERY_UNCHANGED -> {
				String on = this.names.connection(gate, "on", path, this.names.target());
				String query = gate.required("query") ? this.values.readQuery(gate.value("query"), path + ".query")
						: null;
				yield (on != null && query != null) ? new QueryUnchangedGate(id, level, on, query) : null;
			}
			case SNAPSHOT_FRESH -> snapshotFresh(gate, path, id, level);
		};
		return (id != null && level != null) ? spec : null;
	}

	private RowCountGate rowCount(Fields gate, String path, String id, Level level) {
		TableRef table = null;
		if (gate.required("table")) {
			table = this.names.tableRef(gate.value("table"), path + ".table", this.names.target());
			if (table != null) {
				this.names.useTable(table.connection(), table.table(), gate.value("table"), path + ".table",
						Integer.MAX_VALUE, List.of());
			}
		}
		RowCountGate.Expected expected = null;
		if (gate.required("expect")) {
			Node expect = gate.value("expect");
			String text = (expect instanceof ScalarNode scalar) ? scalar.getValue() : null;
			if (text != null && PlanValues.WHOLE_NUMBER.matcher(text).matches()) {
				Long rows = this.values.wholeNumber(expect, path + ".expect", 0, Long.MAX_VALUE);
				expected = (rows != null) ? new RowCountGate.FixedRows(rows) : null;
			}
			else {
				TableRef expectedTable = this.names.tableRef(expect, path + ".expect", this.names.target());
				if (expectedTable != null) {
					expected = new RowCountGate.TableRows(expectedTable);
					this.names.useTable(expectedTable.connection(), expectedTable.table(), expect, path + ".expect",
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

	private SnapshotFreshGate snapshotFresh(Fields gate, String path, String id, Level level) {
		Duration maxAge = gate.required("max-age") ? age(gate.value("max-age"), path + ".max-age") : null;
		List<TableRef> tables = new ArrayList<>();
		if (gate.has("tables")) {
			List<Node> items = this.values.list(gate.value("tables"), path + ".tables",
					"a list of tables (source.T, target.T or T)");
			if (items == null) {
				return null;
			}
			if (items.isEmpty()) {
				this.values.error(gate.value("tables"), path + ".tables",
						"Leave tables out for the table the phase writes, or name at least one");
				return null;
			}
			for (int i = 0; i < items.size(); i++) {
				TableRef ref = this.names.tableRef(items.get(i), path + ".tables[" + i + "]", this.names.target());
				if (ref == null) {
					return null;
				}
				tables.add(ref);
			}
		}
		return (maxAge != null) ? new SnapshotFreshGate(id, level, maxAge, tables) : null;
	}

	/**
	 * An age: {@code 90s}, {@code 30m} (or {@code min}), {@code 2h}, {@code 1d}, or
	 * ISO-8601 such as {@code PT2H}.
	 */
	private Duration age(Node node, String path) {
		String text = this.values.requiredText(node, path);
		if (text == null) {
			return null;
		}
		Matcher matcher = AGE.matcher(text.strip());
		Duration age = null;
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			age = switch (matcher.group(2)) {
				case "s" -> Duration.ofSeconds(amount);
				case "m", "min" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
		}
		else {
			try {
				age = Duration.parse(text.strip());
			}
			catch (DateTimeParseException ex) {
				age = null;
			}
		}
		if (age == null || age.isNegative() || age.isZero()) {
			this.values.error(node, path, "Expected an age such as 30m, 2h or 1d, found '" + text + "'");
			return null;
		}
		return age;
	}

	private Tolerance tolerance(Node node, String path) {
		String text = PlanValues.scalarText(node);
		if (text != null && PlanValues.PERCENT.matcher(text.strip()).matches()) {
			Double percent = this.values.percent(node, path);
			return (percent != null) ? Tolerance.percent(percent) : null;
		}
		if (text != null && PlanValues.WHOLE_NUMBER.matcher(text).matches()) {
			Long rows = this.values.wholeNumber(node, path, 0, Long.MAX_VALUE);
			return (rows != null) ? Tolerance.rows(rows) : null;
		}
		this.values.error(node, path,
				"Expected a tolerance: a percentage of the expected rows like 0.5%, or a number of rows like 10");
		return null;
	}

	private SchemaMatchesGate schemaMatches(Fields gate, String path, String id, Level level) {
		String on = this.names.connection(gate, "on", path, this.names.target());
		String reference = gate.required("reference")
				? this.names.connection(gate.value("reference"), path + ".reference") : null;
		if (on != null && on.equals(reference)) {
			this.values.error(gate.value("reference"), path + ".reference",
					"The reference connection must differ from on ('" + on + "')");
		}
		List<String> tables = null;
		if (gate.required("tables")) {
			List<Node> items = this.values.list(gate.value("tables"), path + ".tables", "a list of table names");
			if (items != null) {
				tables = new ArrayList<>();
				if (items.isEmpty()) {
					this.values.error(gate.value("tables"), path + ".tables",
							"A schema-matches gate needs at least one table");
				}
				for (int i = 0; i < items.size(); i++) {
					String itemPath = path + ".tables[" + i + "]";
					String table = this.values.identifier(items.get(i), itemPath, "table");
					if (table != null) {
						tables.add(table);
						// only the reference: on the checked connection a missing table
						// is a
						// difference the gate reports, possibly one the plan itself fixes
						this.names.useTable(reference, table, items.get(i), itemPath, Integer.MAX_VALUE, List.of());
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
			pointer = this.values.requiredText(gate.value("pointer"), path + ".pointer");
			if (pointer != null && !isJsonPointer(pointer)) {
				this.values.error(gate.value("pointer"), path + ".pointer",
						"'" + pointer + "' is not a JSON pointer (for example /status or /items/0/count)");
				pointer = null;
			}
		}
		Bounds bounds = bounds(gate, path, "http");
		return (url != null && pointer != null && bounds != null) ? new HttpGate(id, level, url, pointer, bounds)
				: null;
	}

	private URI httpUrl(Node node, String path) {
		String text = this.values.requiredText(node, path);
		if (text == null) {
			return null;
		}
		URI url;
		try {
			url = new URI(text);
		}
		catch (URISyntaxException ex) {
			this.values.error(node, path, "'" + text + "' is not a URL");
			return null;
		}
		String scheme = url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| url.getHost() == null) {
			this.values.error(node, path,
					"Expected an http or https URL with a host, for example https://status.example.com/x");
			return null;
		}
		Set<String> allowed = this.environment.allowedHttpHosts();
		boolean isAllowed = !this.environment.checksHttpHosts() || dev.ferry.plan.HttpCheckHosts.allows(allowed, url);
		if (!isAllowed) {
			this.values.error(node, path,
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
		BigDecimal min = gate.has("min") ? this.values.decimal(gate.value("min"), path + ".min") : null;
		BigDecimal max = gate.has("max") ? this.values.decimal(gate.value("max"), path + ".max") : null;
		String equals = gate.has("equals") ? this.values.requiredText(gate.value("equals"), path + ".equals") : null;
		if (!gate.has("min") && !gate.has("max") && !gate.has("equals")) {
			this.values.error(gate.node(), path, "A " + check + " gate needs min, max or equals");
			return null;
		}
		if (gate.has("equals") && (gate.has("min") || gate.has("max"))) {
			this.values.error(gate.key("equals"), path + ".equals", "equals cannot be combined with min or max");
			return null;
		}
		if (min != null && max != null && min.compareTo(max) > 0) {
			this.values.error(gate.value("max"), path + ".max", "max (" + max + ") is smaller than min (" + min + ")");
			return null;
		}
		if ((gate.has("min") && min == null) || (gate.has("max") && max == null)
				|| (gate.has("equals") && equals == null)) {
			return null;
		}
		return new Bounds(min, max, equals);
	}

	/** Notes a gate id listed by a phase, checked by {@link #checkReferences}. */
	void reference(String gateId, Kind phaseKind, Node node, String path) {
		this.gateReferences.add(new GateReference(gateId, phaseKind, node, path));
	}

	/**
	 * Reports the noted references to gates not defined or of a check the phase has not.
	 */
	void checkReferences(List<GateSpec> gates) {
		Map<String, GateSpec> byId = new HashMap<>();
		gates.forEach((gate) -> byId.putIfAbsent(gate.id(), gate));
		for (GateReference reference : this.gateReferences) {
			if (!this.definedGateIds.contains(reference.gateId())) {
				this.values.error(reference.node(), reference.path(),
						"Gate '" + reference.gateId() + "' is not defined in gates");
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
			if (gate instanceof SnapshotFreshGate fresh) {
				checkSnapshotFresh(fresh, reference);
				continue;
			}
			if (needed != null && needed != reference.phaseKind()) {
				this.values.error(reference.node(), reference.path(),
						"Gate '" + gate.id() + "' checks " + gate.check().yamlName() + ", which only "
								+ PlanValues.article(needed.yamlName()) + " phase has");
			}
		}
	}

	private void checkSnapshotFresh(SnapshotFreshGate gate, GateReference reference) {
		if (!reference.phaseKind().writes()) {
			this.values.error(reference.node(), reference.path(),
					"Gate '" + gate.id() + "' checks snapshot-fresh before an apply, which "
							+ PlanValues.article(reference.phaseKind().yamlName()) + " phase has not");
		}
		else if (reference.phaseKind() == Kind.SQL && gate.tables().isEmpty()) {
			this.values.error(reference.node(), reference.path(),
					"Gate '" + gate.id() + "' checks snapshot-fresh for an sql phase: name the tables its SQL changes"
							+ " in the gate's tables (Ferry cannot tell them from the SQL)");
		}
	}

	/** A gate id listed by a phase. */
	private record GateReference(String gateId, Kind phaseKind, Node node, String path) {

	}

}
