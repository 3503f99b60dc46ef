package dev.ferry.plan;

/**
 * One line of a diff between two versions: unchanged, removed (only in the older version)
 * or added (only in the newer one), with its line numbers in each ({@code 0} where
 * absent), or a fold standing for {@code folded} unchanged lines.
 */
public record DiffLine(Kind kind, int oldLine, int newLine, String text, int folded) {

	public enum Kind {

		UNCHANGED, REMOVED, ADDED, FOLD

	}

}
