package dev.ferry.plan.spec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the YAML text of a plan (format version 1) into a {@link PlanSpec}, collecting
 * every problem with its line, column and path instead of stopping at the first.
 * <p>
 * Plans come from people and scripts over the API, so the text is treated as hostile and
 * refused quickly, never with an exception:
 * <ul>
 * <li>at most {@value #MAX_BYTES} bytes (1 MiB), strictly UTF-8 (a byte order mark is
 * allowed);</li>
 * <li>exactly one YAML document, a mapping, nested at most {@value #MAX_DEPTH}
 * levels;</li>
 * <li>no anchors ({@code &a}) and no aliases ({@code *a}) at all: a plan gains nothing
 * from them, and refusing them outright removes the "billion laughs" expansion instead of
 * merely bounding it;</li>
 * <li>no tags ({@code !!str}, {@code !!java.net.URL}, {@code !custom}): the text is only
 * composed into SnakeYAML nodes, never constructed into Java objects, and a tag could
 * only change how a value is read;</li>
 * <li>at most {@value Problems#MAX_ERRORS} errors are reported.</li>
 * </ul>
 * The structural checks run on SnakeYAML's event stream before any node tree is built, so
 * a refused document never costs more than one linear scan.
 */
public final class PlanReader {

	/** The largest plan accepted, in bytes. */
	public static final int MAX_BYTES = 1_048_576;

	/** The deepest nesting of lists and mappings accepted. */
	public static final int MAX_DEPTH = 30;

	private static final byte[] UTF8_BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	private PlanReader() {
	}

	/**
	 * Reads and validates a plan.
	 * @param yaml the plan's text, UTF-8
	 * @param environment the connections, catalogues and HTTP hosts it is checked against
	 * @return the parsed plan or its errors, and its warnings; never throws
	 */
	public static PlanCheck read(byte[] yaml, PlanEnvironment environment) {
		Problems problems = new Problems();
		PlanSpec spec = null;
		try {
			spec = readChecked((yaml != null) ? yaml : new byte[0], environment, problems);
		}
		catch (Problems.TooManyErrors ex) {
			// the limit is reached; what was collected is the answer
		}
		catch (RuntimeException ex) {
			// a defect of this reader must still answer with a problem, not a 500
			problems.error(1, 1, "", "The plan could not be read (" + ex.getClass().getSimpleName() + ")");
		}
		return problems.toCheck(spec);
	}

	private static PlanSpec readChecked(byte[] yaml, PlanEnvironment environment, Problems problems) {
		if (yaml.length > MAX_BYTES) {
			problems.error(1, 1, "", String.format(Locale.ROOT,
					"The plan has %,d bytes; at most %,d bytes (1 MiB) are allowed", yaml.length, MAX_BYTES));
			return null;
		}
		String text = decode(yaml, problems);
		if (text == null) {
			return null;
		}
		int nonPrintable = PlanTextReader.firstNonPrintable(text);
		if (nonPrintable >= 0) {
			int[] position = lineAndColumn(text, nonPrintable);
			problems.error(position[0], position[1], "",
					String.format(Locale.ROOT, "The plan contains the character U+%04X, which YAML does not allow",
							text.codePointAt(text.offsetByCodePoints(0, nonPrintable))));
			return null;
		}
		if (!screen(text, problems)) {
			return null;
		}
		Node root = compose(text, problems);
		if (root == null) {
			return null;
		}
		if (!(root instanceof MappingNode mapping)) {
			if (root instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
				problems.error(root.getStartMark(), "", "The plan is empty");
			}
			else {
				problems.error(root.getStartMark(), "",
						"A plan is a mapping of keys (plan, title, source, target, phases, gates, approvals); found "
								+ PlanValues.describe(root));
			}
			return null;
		}
		PlanParser parser = new PlanParser(environment, problems);
		PlanSpec spec = parser.parse(mapping);
		PlanNames names = parser.names();
		new CatalogueCheck(environment, problems).check(names.tableUses(), names.createdTables(), names.addedColumns());
		return spec;
	}

	/**
	 * Decodes strictly, because a replacement character silently changing a value (or an
	 * identifier) is worse than refusing the plan.
	 */
	private static String decode(byte[] yaml, Problems problems) {
		int start = startsWithBom(yaml) ? UTF8_BOM.length : 0;
		ByteBuffer in = ByteBuffer.wrap(yaml, start, yaml.length - start);
		CharBuffer out = CharBuffer.allocate(yaml.length);
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		CoderResult result = decoder.decode(in, out, true);
		if (!result.isError()) {
			result = decoder.flush(out);
		}
		if (result.isError()) {
			reportInvalidByte(yaml, start, in.position(), problems);
			return null;
		}
		return out.flip().toString();
	}

	private static boolean startsWithBom(byte[] yaml) {
		return yaml.length >= 3 && yaml[0] == UTF8_BOM[0] && yaml[1] == UTF8_BOM[1] && yaml[2] == UTF8_BOM[2];
	}

	private static void reportInvalidByte(byte[] yaml, int start, int offset, Problems problems) {
		int line = 1;
		int column = 1;
		for (int i = start; i < offset; i++) {
			if (yaml[i] == '\n') {
				line++;
				column = 1;
			}
			else if ((yaml[i] & 0xC0) != 0x80) {
				// continuation bytes belong to the character their lead byte started
				column++;
			}
		}
		problems.error(line, column, "", String.format(Locale.ROOT,
				"The plan is not valid UTF-8: byte 0x%02X cannot be decoded here", yaml[offset] & 0xFF));
	}

	/**
	 * Walks the event stream once and refuses what the node tree must never see: syntax
	 * errors, several documents, deep nesting, anchors, aliases and tags.
	 * @return whether the text may be composed
	 */
	private static boolean screen(String text, Problems problems) {
		Parser parser = new ParserImpl(PlanTextReader.of(text), loaderOptions());
		int documents = 0;
		int depth = 0;
		boolean anchorReported = false;
		boolean tagReported = false;
		try {
			while (!parser.checkEvent(Event.ID.StreamEnd)) {
				Event event = parser.getEvent();
				switch (event.getEventId()) {
					case DocumentStart -> {
						documents++;
						if (documents > 1) {
							problems.error(event.getStartMark(), "",
									"A plan is one YAML document; a second document starts here");
							return false;
						}
					}
					case Alias -> {
						if (!anchorReported) {
							problems.error(event.getStartMark(), "",
									"Aliases (*name) are not allowed in a plan; write the value out");
							anchorReported = true;
						}
					}
					case MappingStart, SequenceStart -> {
						depth++;
						if (depth > MAX_DEPTH) {
							problems.error(event.getStartMark(), "",
									"The plan nests lists and mappings deeper than " + MAX_DEPTH + " levels");
							return false;
						}
					}
					case MappingEnd, SequenceEnd -> depth--;
					default -> {
					}
				}
				if (event instanceof NodeEvent node && node.getAnchor() != null && !anchorReported) {
					problems.error(event.getStartMark(), "",
							"Anchors (&" + node.getAnchor() + ") are not allowed in a plan; write the value out");
					anchorReported = true;
				}
				String tag = (event instanceof ScalarEvent scalar) ? scalar.getTag()
						: (event instanceof CollectionStartEvent collection) ? collection.getTag() : null;
				if (tag != null && !tagReported) {
					problems.error(event.getStartMark(), "",
							"YAML tags (" + tag.replace(Tag.PREFIX, "!!") + ") are not allowed in a plan");
					tagReported = true;
				}
			}
		}
		catch (YAMLException ex) {
			reportSyntaxError(ex, text, problems);
			return false;
		}
		if (documents == 0) {
			problems.error(1, 1, "", "The plan is empty");
			return false;
		}
		return !problems.hasErrors();
	}

	private static Node compose(String text, Problems problems) {
		LoaderOptions options = loaderOptions();
		try {
			return new Composer(new ParserImpl(PlanTextReader.of(text), options), new Resolver(), options)
				.getSingleNode();
		}
		catch (YAMLException ex) {
			reportSyntaxError(ex, text, problems);
			return null;
		}
	}

	/** Limits kept even though {@link #screen} already refuses what they bound. */
	private static LoaderOptions loaderOptions() {
		LoaderOptions options = new LoaderOptions();
		options.setMaxAliasesForCollections(0);
		options.setAllowRecursiveKeys(false);
		options.setNestingDepthLimit(MAX_DEPTH + 1);
		options.setCodePointLimit(MAX_BYTES + 1);
		options.setProcessComments(false);
		return options;
	}

	private static void reportSyntaxError(YAMLException ex, String text, Problems problems) {
		if (ex instanceof MarkedYAMLException marked) {
			Mark mark = (marked.getProblemMark() != null) ? marked.getProblemMark() : marked.getContextMark();
			String problem = (marked.getProblem() != null) ? marked.getProblem() : "invalid YAML";
			String context = (marked.getContext() != null) ? " (" + marked.getContext() + ")" : "";
			String message = "Invalid YAML: " + problem.strip() + context;
			if (mark != null) {
				problems.error(mark, "", message);
			}
			else {
				problems.error(1, 1, "", message);
			}
		}
		else if (ex instanceof ReaderException unreadable) {
			int[] position = lineAndColumn(text, unreadable.getPosition());
			problems.error(position[0], position[1], "", String.format(Locale.ROOT,
					"The plan contains the character U+%04X, which YAML does not allow", unreadable.getCodePoint()));
		}
		else {
			problems.error(1, 1, "", "Invalid YAML: " + ex.getMessage());
		}
	}

	/** The 1-based line and column of a code point index. */
	private static int[] lineAndColumn(String text, int codePointIndex) {
		int line = 1;
		int column = 1;
		int index = 0;
		for (int i = 0; i < text.length() && index < codePointIndex; i += Character.charCount(text.codePointAt(i))) {
			if (text.charAt(i) == '\n') {
				line++;
				column = 1;
			}
			else {
				column++;
			}
			index++;
		}
		return new int[] { line, column };
	}

}
