package dev.ferry.plan.spec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.ferry.connection.ReadQuery;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the values of a plan's nodes as the types the plan format wants (text, ids,
 * names, numbers, choices, lists), reporting a value of the wrong type at its node and
 * returning {@code null} for it.
 */
final class PlanValues {

	static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?[0-9]+");

	static final Pattern DECIMAL = Pattern.compile("[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");

	static final Pattern PERCENT = Pattern.compile("([-+]?[0-9]+(?:\\.[0-9]+)?)\\s*%");

	/**
	 * Names Ferry quotes into SQL: nothing that could end an identifier or a statement.
	 */
	static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	static final int MAX_IDENTIFIER_LENGTH = 128;

	private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

	private static final int MAX_ID_LENGTH = 64;

	private final Problems problems;

	private final boolean checksReadQueries;

	PlanValues(Problems problems, boolean checksReadQueries) {
		this.problems = problems;
		this.checksReadQueries = checksReadQueries;
	}

	String optionalText(Fields fields, String key) {
		return fields.has(key) ? requiredText(fields.value(key), key) : null;
	}

	/**
	 * A reading query: text holding one statement ({@link ReadQuery}), or null after an
	 * error.
	 */
	String readQuery(Node node, String path) {
		String text = requiredText(node, path);
		if (text == null) {
			return null;
		}
		java.util.Optional<String> second = ReadQuery.secondStatement(text);
		if (second.isPresent() && this.checksReadQueries) {
			error(node, path, second.get());
			return null;
		}
		return text;
	}

	String requiredText(Node node, String path) {
		if (node instanceof ScalarNode scalar && !isNull(scalar)) {
			if (scalar.getValue().isBlank()) {
				error(node, path, "Expected text, found an empty value");
				return null;
			}
			return scalar.getValue();
		}
		error(node, path, "Expected text, found " + describe(node));
		return null;
	}

	/** A value compared with data, where the empty text is meaningful. */
	String scalarValue(Node node, String path) {
		String text = scalarText(node);
		if (text == null) {
			error(node, path, "Expected a single value, found " + describe(node));
		}
		return text;
	}

	String id(Node node, String path, String what) {
		String text = requiredText(node, path);
		if (text == null) {
			return null;
		}
		if (text.length() > MAX_ID_LENGTH || !ID.matcher(text).matches()) {
			error(node, path, what + " '" + abbreviate(text) + "' is not valid: use lower-case letters, digits and -,"
					+ " starting with a letter or digit, at most " + MAX_ID_LENGTH + " characters");
			return null;
		}
		return text;
	}

	String identifier(Node node, String path, String what) {
		String text = requiredText(node, path);
		if (text == null) {
			return null;
		}
		if (text.length() > MAX_IDENTIFIER_LENGTH || !IDENTIFIER.matcher(text).matches()) {
			error(node, path, "'" + abbreviate(text) + "' is not a valid " + what + " name: use letters, digits and _,"
					+ " starting with a letter or _, at most " + MAX_IDENTIFIER_LENGTH + " characters");
			return null;
		}
		return text;
	}

	Boolean bool(Node node, String path) {
		String text = scalarText(node);
		if (text != null) {
			switch (text.toLowerCase(Locale.ROOT)) {
				case "true", "yes", "on" -> {
					return Boolean.TRUE;
				}
				case "false", "no", "off" -> {
					return Boolean.FALSE;
				}
				default -> {
				}
			}
		}
		error(node, path, "Expected true or false, found " + describe(node));
		return null;
	}

	Long wholeNumber(Node node, String path, long min, long max) {
		String text = scalarText(node);
		if (text == null || !WHOLE_NUMBER.matcher(text).matches()) {
			error(node, path, "Expected a whole number, found " + describe(node));
			return null;
		}
		BigInteger value = new BigInteger(text);
		if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
			error(node, path, (max == Long.MAX_VALUE) ? "Expected a number of at least " + min + ", found " + text
					: "Expected a number from " + min + " to " + max + ", found " + text);
			return null;
		}
		return value.longValue();
	}

	BigDecimal decimal(Node node, String path) {
		String text = scalarText(node);
		if (text == null || !DECIMAL.matcher(text).matches()) {
			error(node, path, "Expected a number, found " + describe(node));
			return null;
		}
		return new BigDecimal(text);
	}

	Double number(Node node, String path) {
		BigDecimal value = decimal(node, path);
		return (value != null) ? value.doubleValue() : null;
	}

	Double fraction(Node node, String path) {
		Double value = number(node, path);
		if (value != null && (value < 0 || value > 1)) {
			error(node, path, "Expected a number from 0 to 1, found " + scalarText(node));
			return null;
		}
		return value;
	}

	Double percent(Node node, String path) {
		String text = scalarText(node);
		Matcher matcher = (text != null) ? PERCENT.matcher(text.strip()) : null;
		if (matcher == null || !matcher.matches()) {
			error(node, path, "Expected a percentage like 98% or 0.5%, found " + describe(node));
			return null;
		}
		double percent = Double.parseDouble(matcher.group(1));
		if (percent < 0 || percent > 100) {
			error(node, path, "A percentage must be from 0% to 100%, found " + text);
			return null;
		}
		return percent;
	}

	<E> E choice(Node node, String path, String what, E[] values, Function<E, String> yamlName) {
		String text = scalarText(node);
		if (text != null) {
			for (E value : values) {
				if (yamlName.apply(value).equals(text)) {
					return value;
				}
			}
		}
		String allowed = Arrays.stream(values).map(yamlName).collect(Collectors.joining(", "));
		error(node, path, ((text != null) ? "Unknown " + what + " '" + abbreviate(text) + "'"
				: "Expected a " + what + ", found " + describe(node)) + "; allowed: " + allowed);
		return null;
	}

	List<Normalization> normalizations(Fields owner, String path) {
		if (!owner.has("normalize")) {
			return List.of();
		}
		String listPath = path + ".normalize";
		List<Node> items = list(owner.value("normalize"), listPath, "a list of normalizations");
		List<Normalization> normalizations = new ArrayList<>();
		for (int i = 0; items != null && i < items.size(); i++) {
			Normalization normalization = choice(items.get(i), listPath + "[" + i + "]", "normalization",
					Normalization.values(), Normalization::yamlName);
			if (normalization != null) {
				normalizations.add(normalization);
			}
		}
		return normalizations;
	}

	List<Node> list(Node node, String path, String expected) {
		if (node instanceof SequenceNode sequence) {
			return sequence.getValue();
		}
		error(node, path, "Expected " + expected + ", found " + describe(node));
		return null;
	}

	void error(Node node, String path, String message) {
		this.problems.error(node.getStartMark(), path, message);
	}

	static String scalarText(Node node) {
		return (node instanceof ScalarNode scalar && !isNull(scalar)) ? scalar.getValue() : null;
	}

	static boolean isNull(Node node) {
		return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
	}

	static String describe(Node node) {
		if (node instanceof SequenceNode) {
			return "a list";
		}
		if (node instanceof MappingNode) {
			return "a mapping";
		}
		if (isNull(node)) {
			return "nothing";
		}
		return "'" + abbreviate(((ScalarNode) node).getValue()) + "'";
	}

	/** Keeps messages short when a hostile value is long. */
	static String abbreviate(String text) {
		return (text.length() <= 60) ? text : text.substring(0, 57) + "...";
	}

	static String article(String word) {
		return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
	}

}
