package dev.ferry.plan.spec;

import java.util.ArrayList;
import java.util.List;

import org.yaml.snakeyaml.nodes.Node;

import dev.ferry.plan.spec.CatalogueCheck.ColumnUse;
import dev.ferry.plan.spec.MappingPhase.Accept;
import dev.ferry.plan.spec.MappingPhase.Block;
import dev.ferry.plan.spec.MappingPhase.Compare;
import dev.ferry.plan.spec.MappingPhase.Into;
import dev.ferry.plan.spec.MappingPhase.Side;
import dev.ferry.plan.spec.MappingPhase.TieBreaker;

/**
 * Reads a mapping phase: its old and new sides, block, tie-breakers, acceptance and the
 * table the map goes into.
 */
final class MappingPhaseParser {

	private final PlanValues values;

	private final PlanNames names;

	MappingPhaseParser(PlanValues values, PlanNames names) {
		this.values = values;
		this.names = names;
	}

	MappingPhase mapping(Fields phase, String path, String id, int index, List<String> gates) {
		String connection = this.names.connection(phase, "connection", path, this.names.target());
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
			List<Node> items = this.values.list(phase.value("tie-breakers"), listPath, "a list of tie-breakers");
			for (int i = 0; items != null && i < items.size(); i++) {
				TieBreaker tieBreaker = tieBreaker(items.get(i), listPath + "[" + i + "]", oldColumns, newColumns);
				if (tieBreaker != null) {
					tieBreakers.add(tieBreaker);
				}
			}
		}
		Accept accept = phase.has("accept") ? accept(phase.value("accept"), path + ".accept") : Accept.DEFAULT;
		boolean uniqueNew = phase.has("unique-new")
				&& Boolean.TRUE.equals(this.values.bool(phase.value("unique-new"), path + ".unique-new"));
		Into into = phase.required("into") ? into(phase.value("into"), path + ".into", index) : null;
		int batchSize = ImportPhase.DEFAULT_BATCH_SIZE;
		if (phase.has("batch-size")) {
			Long value = this.values.wholeNumber(phase.value("batch-size"), path + ".batch-size", 1,
					PhaseParser.MAX_BATCH_SIZE);
			batchSize = (value != null) ? value.intValue() : batchSize;
		}
		return new MappingPhase(id, oldSide, newSide, block, tieBreakers, accept, uniqueNew, into, batchSize, gates);
	}

	private Side side(Node node, String path, String what, String phaseConnection, int index, List<ColumnUse> columns) {
		Fields side = Fields.read(this.values, node, path, what, List.of("table", "key", "connection"));
		if (!side.isMapping()) {
			return null;
		}
		String table = side.required("table") ? this.values.identifier(side.value("table"), path + ".table", "table")
				: null;
		String key = side.required("key") ? this.names.columnName(side.value("key"), path + ".key", columns) : null;
		String connection = this.names.connection(side, "connection", path, phaseConnection);
		if (table == null || key == null || connection == null) {
			return null;
		}
		// the block and tie-breakers add their columns to this use later
		this.names.useTable(connection, table, side.value("table"), path + ".table", index, columns);
		return new Side(table, key, connection);
	}

	private Block block(Node node, String path, List<ColumnUse> oldColumns, List<ColumnUse> newColumns) {
		Fields block = Fields.read(this.values, node, path, "the block", List.of("old", "new", "normalize"));
		if (!block.isMapping()) {
			return null;
		}
		String oldColumn = block.required("old") ? this.names.columnName(block.value("old"), path + ".old", oldColumns)
				: null;
		String newColumn = block.required("new") ? this.names.columnName(block.value("new"), path + ".new", newColumns)
				: null;
		List<Normalization> normalize = this.values.normalizations(block, path);
		return (oldColumn != null && newColumn != null) ? new Block(oldColumn, newColumn, normalize) : null;
	}

	private TieBreaker tieBreaker(Node node, String path, List<ColumnUse> oldColumns, List<ColumnUse> newColumns) {
		Fields tieBreaker = Fields.read(this.values, node, path, "a tie-breaker",
				List.of("old", "new", "weight", "normalize", "compare"));
		if (!tieBreaker.isMapping()) {
			return null;
		}
		String oldColumn = tieBreaker.required("old")
				? this.names.columnName(tieBreaker.value("old"), path + ".old", oldColumns) : null;
		String newColumn = tieBreaker.required("new")
				? this.names.columnName(tieBreaker.value("new"), path + ".new", newColumns) : null;
		Double weight = 1.0;
		if (tieBreaker.has("weight")) {
			weight = this.values.number(tieBreaker.value("weight"), path + ".weight");
			if (weight != null && !(weight > 0)) {
				this.values.error(tieBreaker.value("weight"), path + ".weight", "A weight must be greater than 0");
				weight = null;
			}
		}
		List<Normalization> normalize = this.values.normalizations(tieBreaker, path);
		Compare compare = tieBreaker.has("compare") ? this.values.choice(tieBreaker.value("compare"), path + ".compare",
				"comparison", Compare.values(), Compare::yamlName) : Compare.EXACT;
		if (oldColumn == null || newColumn == null || weight == null || compare == null) {
			return null;
		}
		return new TieBreaker(oldColumn, newColumn, weight, normalize, compare);
	}

	// the defaults are boxed: a ternary of Double and double would unbox a null (a value
	// out of range) and throw
	private Accept accept(Node node, String path) {
		Fields accept = Fields.read(this.values, node, path, "accept", List.of("min-score", "min-margin"));
		if (!accept.isMapping()) {
			return Accept.DEFAULT;
		}
		Double minScore = accept.has("min-score") ? this.values.fraction(accept.value("min-score"), path + ".min-score")
				: Double.valueOf(Accept.DEFAULT.minScore());
		Double minMargin = accept.has("min-margin")
				? this.values.fraction(accept.value("min-margin"), path + ".min-margin")
				: Double.valueOf(Accept.DEFAULT.minMargin());
		return (minScore != null && minMargin != null) ? new Accept(minScore, minMargin) : Accept.DEFAULT;
	}

	private Into into(Node node, String path, int index) {
		Fields into = Fields.read(this.values, node, path, "into",
				List.of("table", "old", "new", "status", "confidence"));
		if (!into.isMapping()) {
			return null;
		}
		List<ColumnUse> columns = new ArrayList<>();
		String table = into.required("table") ? this.values.identifier(into.value("table"), path + ".table", "table")
				: null;
		String oldColumn = into.required("old") ? this.names.columnName(into.value("old"), path + ".old", columns)
				: null;
		String newColumn = into.required("new") ? this.names.columnName(into.value("new"), path + ".new", columns)
				: null;
		String status = into.required("status") ? this.names.columnName(into.value("status"), path + ".status", columns)
				: null;
		String confidence = into.has("confidence")
				? this.names.columnName(into.value("confidence"), path + ".confidence", columns) : null;
		if (table == null || oldColumn == null || newColumn == null || status == null) {
			return null;
		}
		this.names.useTable(this.names.target(), table, into.value("table"), path + ".table", index, columns);
		return new Into(table, oldColumn, newColumn, status, confidence);
	}

}
