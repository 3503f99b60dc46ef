package dev.ferry.changeset.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeColumn;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.Rejection;

/**
 * A change row as the diff browser shows it: its key, the columns an update changes
 * (before → after) apart from the ones it leaves alone, the values an insert writes or a
 * delete removes, and why a rejected row was refused.
 * @param shown the cells shown at once: changed columns of an update, every column otherwise
 * @param folded the cells folded away: the unchanged columns of an update
 */
record ChangeView(long seq, String table, ChangeOp op, List<Cell> key, List<Cell> shown, List<Cell> folded,
		List<Rejection> reasons) {

	static ChangeView of(ChangeSet changeSet, Change change) {
		List<Cell> key = change.key().entrySet().stream().map(e -> new Cell(e.getKey(), null, e.getValue(), false, null)).toList();
		List<Cell> shown = new ArrayList<>();
		List<Cell> folded = new ArrayList<>();
		// a rejected row shows the value that failed, not the NULL it could not become
		Map<String, String> refused = new HashMap<>();
		for (Rejection reason : change.reasons()) {
			// a required column's value is NULL: the map keeps it
			refused.putIfAbsent(reason.column(), reason.value());
		}
		for (ChangeColumn column : changeSet.columns()) {
			String name = column.name();
			switch (change.op()) {
				case UPDATE -> {
					Object before = value(change.before(), name);
					Object after = value(change.after(), name);
					boolean changed = change.changed().contains(name);
					Cell cell = new Cell(name, before, after, changed, changed ? WordDiff.of(before, after) : null);
					(cell.changed() ? shown : folded).add(cell);
				}
				case DELETE -> shown.add(new Cell(name, value(change.before(), name), null, false, null));
				case INSERT -> shown.add(new Cell(name, null, value(change.after(), name), false, null));
				case REJECTED -> shown.add(refused.containsKey(name) ? new Cell(name, null, refused.get(name), true, null)
						: new Cell(name, null, value(change.after(), name), false, null));
			}
		}
		return new ChangeView(change.seq(), change.table(), change.op(), key, List.copyOf(shown), List.copyOf(folded),
				change.reasons());
	}

	private static Object value(Map<String, Object> values, String column) {
		return values == null ? null : values.get(column);
	}

	/**
	 * One column of a row: its value before and after (an insert has no before, a delete no
	 * after); {@code changed} marks the columns an update changes and the columns a
	 * rejected row failed on; {@code words} marks the changed words of a changed text, or is
	 * null.
	 */
	record Cell(String column, Object before, Object after, boolean changed, WordDiff.Parts words) {

	}

}
