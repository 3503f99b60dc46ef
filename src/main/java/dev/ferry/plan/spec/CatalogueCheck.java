package dev.ferry.plan.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Checks the tables and columns a plan names against the catalogues of its connections,
 * so a misspelt name is found when the plan is saved rather than halfway through a run. A
 * connection that cannot be reached now gives one warning, not an error: the plan may
 * well be right, and it is checked again before every run.
 */
final class CatalogueCheck {

	private final PlanEnvironment environment;

	private final Problems problems;

	private final Map<String, Optional<Catalog>> catalogs = new HashMap<>();

	private final Set<String> unreachableReported = new HashSet<>();

	CatalogueCheck(PlanEnvironment environment, Problems problems) {
		this.environment = environment;
		this.problems = problems;
	}

	void check(List<TableUse> uses, List<CreatedTable> createdTables, List<AddedColumn> addedColumns) {
		// document order, so the warning of an unreachable connection sits at its first
		// use
		List<TableUse> inDocumentOrder = new ArrayList<>(uses);
		inDocumentOrder.sort(Comparator.comparingInt((TableUse use) -> use.mark().getIndex()));
		for (TableUse use : inDocumentOrder) {
			if (createdEarlier(use, createdTables)) {
				// the table does not exist before the plan runs; its columns are the sql
				// phase's business
				continue;
			}
			Optional<Catalog> catalog = catalog(use.connection());
			if (catalog.isEmpty()) {
				if (this.unreachableReported.add(use.connection())) {
					this.problems.warning(use.mark(), use.path(), "Connection '" + use.connection()
							+ "' cannot be reached: tables and columns were not checked");
				}
				continue;
			}
			if (!catalog.get().hasTable(use.table())) {
				String laterCreator = createdTables.stream()
					.filter((created) -> created.creates(use.connection(), use.table()))
					.map(CreatedTable::phaseId)
					.findFirst()
					.map((phaseId) -> " (the later phase '" + phaseId + "' creates it)")
					.orElse("");
				this.problems.error(use.mark(), use.path(), "Table '" + use.table() + "' does not exist on connection '"
						+ use.connection() + "'" + laterCreator);
				continue;
			}
			for (ColumnUse column : use.columns()) {
				if (!catalog.get().hasColumn(use.table(), column.column())
						&& !addedEarlier(use, column.column(), addedColumns)) {
					this.problems.error(column.node().getStartMark(), column.path(),
							"Column '" + column.column() + "' does not exist in table '" + use.table()
									+ "' on connection '" + use.connection() + "'");
				}
			}
		}
	}

	private boolean createdEarlier(TableUse use, List<CreatedTable> createdTables) {
		return createdTables.stream()
			.anyMatch((created) -> created.phaseIndex() < use.phaseIndex()
					&& created.creates(use.connection(), use.table()));
	}

	private boolean addedEarlier(TableUse use, String column, List<AddedColumn> addedColumns) {
		return addedColumns.stream()
			.anyMatch((added) -> added.phaseIndex() < use.phaseIndex()
					&& added.adds(use.connection(), use.table(), column));
	}

	private Optional<Catalog> catalog(String connection) {
		return this.catalogs.computeIfAbsent(connection, (name) -> {
			try {
				return this.environment.catalog(name);
			}
			catch (RuntimeException ex) {
				// a failing introspection is the same as an unreachable connection here
				return Optional.empty();
			}
		});
	}

	/**
	 * A table a plan names on a connection.
	 *
	 * @param phaseIndex the index of the naming phase; gates use
	 * {@link Integer#MAX_VALUE} because they are evaluated after the phases apply
	 * @param columns the columns named in that table; may grow while the phase is read
	 */
	record TableUse(String connection, String table, Mark mark, String path, int phaseIndex, List<ColumnUse> columns) {

	}

	/** A column a plan names, with the node naming it. */
	record ColumnUse(String column, Node node, String path) {

	}

	/** A table a {@code CREATE TABLE} statement of a sql phase creates. */
	record CreatedTable(String connection, String table, int phaseIndex, String phaseId) {

		boolean creates(String connection, String table) {
			return this.connection.equals(connection) && this.table.equalsIgnoreCase(table);
		}

	}

	/**
	 * A column an {@code ALTER TABLE ... ADD [COLUMN]} statement of a sql phase adds to
	 * an existing table (the first column of each such statement).
	 */
	record AddedColumn(String connection, String table, String column, int phaseIndex) {

		boolean adds(String connection, String table, String column) {
			return this.connection.equals(connection) && this.table.equalsIgnoreCase(table)
					&& this.column.equalsIgnoreCase(column);
		}

	}

}
