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
				case DELETE, KEPT -> shown.add(new Cell(name, value(change.before(), name), null, false, null));
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
	 * Whether the row is shown as a line of a grid (one column per column of the table):
	 * an insert (the values it writes) and a kept row (the values it keeps).
	 */
	public boolean whole() {
		return this.op == ChangeOp.INSERT || this.op == ChangeOp.KEPT;
	}

	/** The values of a grid line: what an insert writes, what a kept row keeps. */
	public List<Object> values() {
		return this.shown.stream().map(cell -> (this.op == ChangeOp.INSERT) ? cell.after() : cell.before()).toList();
	}

	/**
	 * Rows as the list shows them: each run of consecutive whole rows of one operation as
	 * one grid, with its header once, every other row on its own.
	 */
	record Segment(ChangeOp op, List<ChangeView> rows, boolean grid) {

		static List<Segment> of(List<ChangeView> rows) {
			List<Segment> segments = new ArrayList<>();
			List<ChangeView> run = new ArrayList<>();
			for (ChangeView row : rows) {
				if (!run.isEmpty() && run.get(0).op() != row.op()) {
					segments.add(new Segment(run.get(0).op(), List.copyOf(run), true));
					run.clear();
				}
				if (row.whole()) {
					run.add(row);
				}
				else {
					segments.add(new Segment(row.op(), List.of(row), false));
				}
			}
			if (!run.isEmpty()) {
				segments.add(new Segment(run.get(0).op(), List.copyOf(run), true));
			}
			return List.copyOf(segments);
		}

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
