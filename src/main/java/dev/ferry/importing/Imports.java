package dev.ferry.importing;

import java.util.List;
import java.util.Map;

import dev.ferry.plan.spec.ColumnRule;
import dev.ferry.run.PhaseExecutor;

/**
 * The import's machinery for other phase kinds that write a table as an import does (a
 * mapping apply writes its map so): the comparison that computes a change set, and the
 * writing with before-images, drift check and batch ledger, and its rollback. Both take a
 * {@link RowsImport} as their run.
 */
public interface Imports {

	/** The import's dry run: compares the rows with the table and keeps a change set. */
	PhaseExecutor comparison();

	/** The import's apply and rollback of the change set the run computed. */
	PhaseExecutor writing();

	/**
	 * The rule type each named column of a table holds its values as: whole numbers,
	 * other numbers, or text.
	 */
	Map<String, ColumnRule.Type> columnTypes(String connection, String table, List<String> columns);

}
