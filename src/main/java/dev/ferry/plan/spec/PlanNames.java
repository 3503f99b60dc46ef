package dev.ferry.plan.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.Node;

import dev.ferry.plan.spec.CatalogueCheck.AddedColumn;
import dev.ferry.plan.spec.CatalogueCheck.ColumnUse;
import dev.ferry.plan.spec.CatalogueCheck.CreatedTable;
import dev.ferry.plan.spec.CatalogueCheck.TableUse;

/**
 * Reads what a plan names in the databases (connections, tables, columns, and the tables
 * and columns its SQL creates), checking connections against the environment and
 * recording every use for the {@link CatalogueCheck}.
 */
final class PlanNames {

	private static final Pattern ADD_COLUMN = Pattern.compile("\\bALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?"
			+ "(?:\"?[A-Za-z_][A-Za-z0-9_]*\"?\\s*\\.\\s*)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?\\s+ADD\\s+(?:COLUMN\\s+)?"
			+ "(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?", Pattern.CASE_INSENSITIVE);

	private final PlanEnvironment environment;

	private final PlanValues values;

	private final List<TableUse> tableUses = new ArrayList<>();

	private final List<CreatedTable> createdTables = new ArrayList<>();

	private final List<AddedColumn> addedColumns = new ArrayList<>();

	private String source;

	private String target;

	PlanNames(PlanEnvironment environment, PlanValues values) {
		this.environment = environment;
		this.values = values;
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

	/** The plan's source connection, {@code null} until read or when it is invalid. */
	String source() {
		return this.source;
	}

	/** The plan's target connection, {@code null} until read or when it is invalid. */
	String target() {
		return this.target;
	}

	/** Reads the plan's source connection, the default of the phases that read. */
	String readSource(Node node, String path) {
		this.source = existingConnection(node, path);
		return this.source;
	}

	/** Reads the plan's target connection, the default of the phases that write. */
	String readTarget(Node node, String path) {
		this.target = existingConnection(node, path);
		return this.target;
	}

	/** A connection named by {@code source}, {@code target} or its own name. */
	String connection(Node node, String path) {
		String name = this.values.requiredText(node, path);
		if ("source".equals(name)) {
			return this.source;
		}
		if ("target".equals(name)) {
			return this.target;
		}
		return (name != null) ? checkConnection(node, path, name) : null;
	}

	/**
	 * The connection an owner names under the key, or the default when the key is not
	 * written.
	 */
	String connection(Fields owner, String key, String path, String defaultConnection) {
		return owner.has(key) ? connection(owner.value(key), path + "." + key) : defaultConnection;
	}

	private String existingConnection(Node node, String path) {
		String name = this.values.requiredText(node, path);
		return (name != null) ? checkConnection(node, path, name) : null;
	}

	private String checkConnection(Node node, String path, String name) {
		if (!this.environment.connectionExists(name)) {
			this.values.error(node, path, "Connection '" + PlanValues.abbreviate(name) + "' does not exist");
			return null;
		}
		return name;
	}

	TableRef tableRef(Node node, String path, String defaultConnection) {
		String text = this.values.requiredText(node, path);
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
				this.values.error(node, path, "'" + PlanValues.abbreviate(text)
						+ "' is not a table reference: write source.T, target.T or T");
				return null;
			}
		}
		if (table.length() > PlanValues.MAX_IDENTIFIER_LENGTH || !PlanValues.IDENTIFIER.matcher(table).matches()) {
			this.values.error(node, path,
					"'" + PlanValues.abbreviate(table) + "' is not a valid table name: use letters, digits and _,"
							+ " starting with a letter or _, at most " + PlanValues.MAX_IDENTIFIER_LENGTH
							+ " characters");
			return null;
		}
		return new TableRef(side, table, connection);
	}

	String columnName(Node node, String path, List<ColumnUse> uses) {
		String column = this.values.identifier(node, path, "column");
		if (column != null) {
			uses.add(new ColumnUse(column, node, path));
		}
		return column;
	}

	List<String> identifiers(Node node, String path, String what, String expected, List<ColumnUse> uses) {
		List<Node> items = this.values.list(node, path, expected);
		if (items == null) {
			return null;
		}
		List<String> names = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			String itemPath = path + "[" + i + "]";
			String name = this.values.identifier(items.get(i), itemPath, what);
			if (name == null) {
				continue;
			}
			if (names.stream().anyMatch(name::equalsIgnoreCase)) {
				this.values.error(items.get(i), itemPath, "Column '" + name + "' is listed twice");
				continue;
			}
			names.add(name);
			uses.add(new ColumnUse(name, items.get(i), itemPath));
		}
		return names;
	}

	void useTable(String connection, String table, Node node, String path, int phaseIndex, List<ColumnUse> columns) {
		if (connection != null && table != null) {
			this.tableUses.add(new TableUse(connection, table, node.getStartMark(), path, phaseIndex, columns));
		}
	}

	/** Records the tables and columns an sql phase's apply creates. */
	void schemaChanges(String connection, String apply, int index, String phaseId) {
		Matcher created = SqlPhase.CREATE_TABLE.matcher(apply);
		while (created.find()) {
			this.createdTables.add(new CreatedTable(connection, created.group(1), index, phaseId));
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

}
