package dev.ferry.plan.internal;

import java.util.ArrayList;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;

import dev.ferry.plan.DiffLine;

/**
 * The line diff of two plan texts (java-diff-utils), with long runs of unchanged lines
 * folded so the changes stand out; {@value #CONTEXT} lines of context are kept around
 * each change.
 */
final class LineDiff {

	static final int CONTEXT = 3;

	private LineDiff() {
	}

	static List<DiffLine> of(String older, String newer) {
		List<String> a = older.lines().toList();
		List<String> b = newer.lines().toList();
		List<DiffLine> all = new ArrayList<>();
		int i = 0;
		int j = 0;
		for (AbstractDelta<String> delta : DiffUtils.diff(a, b).getDeltas()) {
			while (i < delta.getSource().getPosition()) {
				all.add(new DiffLine(DiffLine.Kind.UNCHANGED, i + 1, j + 1, a.get(i), 0));
				i++;
				j++;
			}
			for (String line : delta.getSource().getLines()) {
				all.add(new DiffLine(DiffLine.Kind.REMOVED, ++i, 0, line, 0));
			}
			for (String line : delta.getTarget().getLines()) {
				all.add(new DiffLine(DiffLine.Kind.ADDED, 0, ++j, line, 0));
			}
		}
		while (i < a.size()) {
			all.add(new DiffLine(DiffLine.Kind.UNCHANGED, i + 1, j + 1, a.get(i), 0));
			i++;
			j++;
		}
		return fold(all);
	}

	private static List<DiffLine> fold(List<DiffLine> all) {
		boolean[] keep = new boolean[all.size()];
		for (int k = 0; k < all.size(); k++) {
			if (all.get(k).kind() != DiffLine.Kind.UNCHANGED) {
				for (int c = Math.max(0, k - CONTEXT); c <= Math.min(all.size() - 1, k + CONTEXT); c++) {
					keep[c] = true;
				}
			}
		}
		List<DiffLine> folded = new ArrayList<>();
		int hidden = 0;
		for (int k = 0; k < all.size(); k++) {
			if (keep[k]) {
				if (hidden > 0) {
					folded.add(new DiffLine(DiffLine.Kind.FOLD, 0, 0, "", hidden));
					hidden = 0;
				}
				folded.add(all.get(k));
			}
			else {
				hidden++;
			}
		}
		if (hidden > 0) {
			folded.add(new DiffLine(DiffLine.Kind.FOLD, 0, 0, "", hidden));
		}
		return folded;
	}

}
