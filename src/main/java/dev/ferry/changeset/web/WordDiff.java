package dev.ferry.changeset.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;

/**
 * Which words of a text an update changes, so the page can mark them inside the before
 * and after values: {@code cherry Eagle encore} → {@code Cherry Eagle Encore} marks two
 * words, not the whole value. Words and the spaces between them are compared as tokens,
 * so a changed space is marked too.
 */
final class WordDiff {

	/** Longer texts are marked as a whole: a word diff of them would not be read. */
	static final int MAX_LENGTH = 2000;

	private static final Pattern TOKEN = Pattern.compile("\\s+|[\\p{L}\\p{N}_]+|.", Pattern.DOTALL);

	private WordDiff() {
	}

	/**
	 * The before and after texts cut into marked and unmarked parts, or null when there is
	 * nothing useful to mark (either side is not a text, too long, or nothing is shared).
	 */
	static Parts of(Object before, Object after) {
		if (!(before instanceof String a) || !(after instanceof String b) || a.isEmpty() || b.isEmpty()
				|| a.length() > MAX_LENGTH || b.length() > MAX_LENGTH) {
			return null;
		}
		List<String> left = tokens(a);
		List<String> right = tokens(b);
		List<Segment> beforeParts = new ArrayList<>();
		List<Segment> afterParts = new ArrayList<>();
		int i = 0;
		int j = 0;
		for (AbstractDelta<String> delta : DiffUtils.diff(left, right).getDeltas()) {
			Chunk<String> source = delta.getSource();
			Chunk<String> target = delta.getTarget();
			add(beforeParts, left.subList(i, source.getPosition()), false);
			add(afterParts, right.subList(j, target.getPosition()), false);
			add(beforeParts, source.getLines(), true);
			add(afterParts, target.getLines(), true);
			i = source.getPosition() + source.size();
			j = target.getPosition() + target.size();
		}
		add(beforeParts, left.subList(i, left.size()), false);
		add(afterParts, right.subList(j, right.size()), false);
		boolean shared = beforeParts.stream().anyMatch(part -> !part.changed() && !part.text().isBlank());
		return shared ? new Parts(joined(beforeParts), joined(afterParts)) : null;
	}

	/**
	 * A space alone between two changed parts is marked with them: "[Old] [product]" reads
	 * better as "[Old product]".
	 */
	private static List<Segment> joined(List<Segment> parts) {
		List<Segment> joined = new ArrayList<>();
		for (int k = 0; k < parts.size(); k++) {
			Segment part = parts.get(k);
			boolean between = k > 0 && k < parts.size() - 1 && parts.get(k - 1).changed()
					&& parts.get(k + 1).changed();
			if (!part.changed() && part.text().isBlank() && between) {
				part = new Segment(part.text(), true);
			}
			if (!joined.isEmpty() && joined.get(joined.size() - 1).changed() == part.changed()) {
				part = new Segment(joined.remove(joined.size() - 1).text() + part.text(), part.changed());
			}
			joined.add(part);
		}
		return List.copyOf(joined);
	}

	private static List<String> tokens(String text) {
		List<String> tokens = new ArrayList<>();
		Matcher matcher = TOKEN.matcher(text);
		while (matcher.find()) {
			tokens.add(matcher.group());
		}
		return tokens;
	}

	private static void add(List<Segment> parts, List<String> tokens, boolean changed) {
		if (tokens.isEmpty()) {
			return;
		}
		String text = String.join("", tokens);
		if (!parts.isEmpty() && parts.get(parts.size() - 1).changed() == changed) {
			Segment last = parts.remove(parts.size() - 1);
			text = last.text() + text;
		}
		parts.add(new Segment(text, changed));
	}

	/** A text cut into parts; the changed ones are marked. */
	record Parts(List<Segment> before, List<Segment> after) {
	}

	record Segment(String text, boolean changed) {
	}

}
