package dev.ferry.plan.spec;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's character reader over a text already in memory. SnakeYAML's own reader
 * refills a 1 KiB window by copying everything not yet consumed, which makes a single
 * long token (a 1 MiB word or quoted string) quadratic: about a second per pass. A plan
 * is at most 1 MiB and is decoded before parsing anyway, so this reader keeps its code
 * points in one array and every operation is constant time or linear in its result.
 * Behaviour (line and column counting, the BOM, the values past the end) follows
 * {@link StreamReader}.
 */
final class PlanTextReader extends StreamReader {

	private final int[] codePoints;

	private int pointer;

	private int documentIndex;

	private int line;

	private int column;

	private PlanTextReader(int[] codePoints) {
		super("");
		this.codePoints = codePoints;
	}

	/**
	 * A reader of the text; {@link #firstNonPrintable} must have accepted it.
	 */
	static PlanTextReader of(String text) {
		return new PlanTextReader(text.codePoints().toArray());
	}

	/** The code point index of the first character YAML does not allow, or -1. */
	static int firstNonPrintable(String text) {
		int index = 0;
		for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
			if (!StreamReader.isPrintable(text.codePointAt(i))) {
				return index;
			}
			index++;
		}
		return -1;
	}

	@Override
	public Mark getMark() {
		return new Mark("plan", this.pointer, this.line, this.column, this.codePoints, this.pointer);
	}

	@Override
	public void forward() {
		forward(1);
	}

	@Override
	public void forward(int length) {
		for (int i = 0; i < length && this.pointer < this.codePoints.length; i++) {
			int c = this.codePoints[this.pointer++];
			this.documentIndex++;
			if (Constant.LINEBR.has(c)
					|| (c == '\r' && this.pointer < this.codePoints.length && this.codePoints[this.pointer] != '\n')) {
				this.line++;
				this.column = 0;
			}
			else if (c != 0xFEFF) {
				this.column++;
			}
		}
	}

	@Override
	public int peek() {
		return peek(0);
	}

	@Override
	public int peek(int index) {
		int at = this.pointer + index;
		return (at < this.codePoints.length) ? this.codePoints[at] : '\0';
	}

	@Override
	public String prefix(int length) {
		int available = Math.max(0, Math.min(length, this.codePoints.length - this.pointer));
		return new String(this.codePoints, this.pointer, available);
	}

	@Override
	public String prefixForward(int length) {
		String prefix = prefix(length);
		// like StreamReader: only used for characters that are not line breaks
		this.pointer += length;
		this.documentIndex += length;
		this.column += length;
		return prefix;
	}

	@Override
	public int getColumn() {
		return this.column;
	}

	@Override
	public int getDocumentIndex() {
		return this.documentIndex;
	}

	@Override
	public void resetDocumentIndex() {
		this.documentIndex = 0;
	}

	@Override
	public int getIndex() {
		return this.pointer;
	}

	@Override
	public int getLine() {
		return this.line;
	}

}
