package dev.ferry.plan.spec;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.ferry.plan.spec.CatalogueCheck.ColumnUse;

/**
 * Reads an import phase: its query, target table, key and column rules.
 */
final class ImportPhaseParser {

	private static final List<String> COLUMN_RULE_KEYS = List.of("from", "type", "format", "normalize", "null-if",
			"required", "default");

	private final PlanValues values;

	private final PlanNames names;

	ImportPhaseParser(PlanValues values, PlanNames names) {
		this.values = values;
		this.names = names;
	}

	ImportPhase importPhase(Fields phase, String path, String id, int index, List<String> gates) {
		String connection = this.names.connection(phase, "connection", path, this.names.source());
		String query = phase.required("query") ? this.values.readQuery(phase.value("query"), path + ".query") : null;
		String table = phase.required("table") ? this.values.identifier(phase.value("table"), path + ".table", "table")
				: null;
		List<ColumnUse> columnUses = new ArrayList<>();
		List<String> key = List.of();
		if (phase.required("key")) {
			key = this.names.identifiers(phase.value("key"), path + ".key", "column", "a list of column names",
					columnUses);
			if (key != null && key.isEmpty()) {
				this.values.error(phase.value("key"), path + ".key", "A key needs at least one column");
			}
		}
		Map<String, ColumnRule> columns = new LinkedHashMap<>();
		Map<String, Node> columnKeys = new HashMap<>();
		if (phase.required("columns")) {
			Fields rules = Fields.read(this.values, phase.value("columns"), path + ".columns", "columns", null);
			if (rules.isMapping()) {
				if (rules.names().isEmpty()) {
					this.values.error(phase.value("columns"), path + ".columns", "An import needs at least one column");
				}
				for (String name : rules.names()) {
					String columnPath = path + ".columns." + name;
					String column = this.values.identifier(rules.key(name), columnPath, "column");
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
					this.values.error(keyNodes.get(i), path + ".key[" + i + "]",
							"Key column '" + key.get(i) + "' is not one of the columns");
				}
			}
		}
		boolean deleteMissing = phase.has("delete-missing")
				&& Boolean.TRUE.equals(this.values.bool(phase.value("delete-missing"), path + ".delete-missing"));
		int batchSize = ImportPhase.DEFAULT_BATCH_SIZE;
		if (phase.has("batch-size")) {
			Long value = this.values.wholeNumber(phase.value("batch-size"), path + ".batch-size", 1,
					PhaseParser.MAX_BATCH_SIZE);
			batchSize = (value != null) ? value.intValue() : batchSize;
		}
		if (table != null) {
			this.names.useTable(this.names.target(), table, phase.value("table"), path + ".table", index, columnUses);
		}
		return new ImportPhase(id, connection, query, table, (key != null) ? key : List.of(), columns, deleteMissing,
				batchSize, gates);
	}

	private ColumnRule columnRule(Node node, String path, String name) {
		if (PlanValues.isNull(node)) {
			return new ColumnRule(name, ColumnRule.Type.STRING, null, List.of(), List.of(), false, null);
		}
		Fields rule = Fields.read(this.values, node, path, "a column rule", COLUMN_RULE_KEYS);
		if (!rule.isMapping()) {
			return null;
		}
		String from = rule.has("from") ? this.values.identifier(rule.value("from"), path + ".from", "column") : name;
		ColumnRule.Type type = rule.has("type") ? this.values.choice(rule.value("type"), path + ".type", "column type",
				ColumnRule.Type.values(), ColumnRule.Type::yamlName) : ColumnRule.Type.STRING;
		String format = null;
		if (rule.has("format")) {
			format = this.values.requiredText(rule.value("format"), path + ".format");
			if (type != null && type != ColumnRule.Type.DATE && type != ColumnRule.Type.TIMESTAMP) {
				this.values.error(rule.key("format"), path + ".format",
						"format is only for columns of type date or timestamp");
			}
			else if (format != null) {
				try {
					DateTimeFormatter.ofPattern(format);
				}
				catch (IllegalArgumentException ex) {
					this.values.error(rule.value("format"), path + ".format",
							"'" + format + "' is not a date pattern (for example yyyy-MM-dd or dd.MM.yyyy)");
				}
			}
		}
		List<Normalization> normalize = this.values.normalizations(rule, path);
		List<String> nullIf = new ArrayList<>();
		if (rule.has("null-if")) {
			List<Node> items = this.values.list(rule.value("null-if"), path + ".null-if", "a list of values");
			for (int i = 0; items != null && i < items.size(); i++) {
				String value = this.values.scalarValue(items.get(i), path + ".null-if[" + i + "]");
				if (value != null) {
					nullIf.add(value);
				}
			}
		}
		boolean required = rule.has("required")
				&& Boolean.TRUE.equals(this.values.bool(rule.value("required"), path + ".required"));
		String defaultValue = null;
		if (rule.has("default")) {
			defaultValue = this.values.scalarValue(rule.value("default"), path + ".default");
			if (defaultValue != null && type != null && format == null && !fitsType(defaultValue, type)) {
				this.values.error(rule.value("default"), path + ".default",
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
			case INTEGER -> PlanValues.WHOLE_NUMBER.matcher(value).matches();
			case DECIMAL -> PlanValues.DECIMAL.matcher(value).matches();
			case BOOLEAN ->
				Set.of("true", "false", "yes", "no", "y", "n", "1", "0").contains(value.toLowerCase(Locale.ROOT));
			case DATE, TIMESTAMP -> true;
		};
	}

}
