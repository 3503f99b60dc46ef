package dev.ferry.plan.spec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tables of a connection and their columns. Lookups ignore case, because databases
 * store unquoted names folded (H2 keeps {@code AhsListing} as {@code AHSLISTING}). A
 * table with an empty column list has unknown columns, which are then not checked.
 */
public record Catalog(Map<String, List<String>> columnsByTable) {

	public Catalog {
		Map<String, List<String>> tables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		columnsByTable.forEach((table, columns) -> tables.put(table, List.copyOf(columns)));
		columnsByTable = Collections.unmodifiableMap(tables);
	}

	public boolean hasTable(String table) {
		return this.columnsByTable.containsKey(table);
	}

	/** The columns of a table, empty when the table does not exist. */
	public Optional<List<String>> columns(String table) {
		return Optional.ofNullable(this.columnsByTable.get(table));
	}

	/**
	 * Whether the table has the column; {@code true} when the table's columns are
	 * unknown.
	 */
	public boolean hasColumn(String table, String column) {
		List<String> columns = this.columnsByTable.get(table);
		return columns != null && (columns.isEmpty() || columns.stream().anyMatch(column::equalsIgnoreCase));
	}

}
