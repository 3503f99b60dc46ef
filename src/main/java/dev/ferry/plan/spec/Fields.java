package dev.ferry.plan.spec;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The accepted keys of one mapping of a plan, in the order written, read with the keys
 * that are not plain names, are written twice or are not allowed reported.
 */
final class Fields {

	private final PlanValues values;

	private final Node node;

	private final String path;

	private final String what;

	private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

	private Fields(PlanValues values, Node node, String path, String what) {
		this.values = values;
		this.node = node;
		this.path = path;
		this.what = what;
	}

	/**
	 * Reads the keys of a mapping, reporting keys that are not plain names, duplicate
	 * keys and keys the context does not allow.
	 * @param values where problems are reported
	 * @param what the mapping in words, for messages ("an import phase")
	 * @param allowed the allowed keys, {@code null} when any name is allowed
	 */
	static Fields read(PlanValues values, Node node, String path, String what, List<String> allowed) {
		Fields fields = new Fields(values, node, path, what);
		if (!(node instanceof MappingNode mapping)) {
			values.error(node, path,
					"Expected a mapping (key: value) for " + what + ", found " + PlanValues.describe(node));
			return fields;
		}
		Map<String, Node> seen = new HashMap<>();
		for (NodeTuple entry : mapping.getValue()) {
			Node keyNode = entry.getKeyNode();
			if (!(keyNode instanceof ScalarNode key) || PlanValues.isNull(keyNode)) {
				values.error(keyNode, path, "Keys must be plain names, found " + PlanValues.describe(keyNode));
				continue;
			}
			String name = key.getValue();
			String keyPath = child(path, name);
			Node first = seen.putIfAbsent(name, keyNode);
			if (first != null) {
				values.error(keyNode, keyPath,
						"Key '" + PlanValues.abbreviate(name) + "' is used twice in this mapping (first at line "
								+ (first.getStartMark().getLine() + 1) + ")");
				continue;
			}
			if (allowed != null && !allowed.contains(name)) {
				values.error(keyNode, keyPath, "Unknown key '" + PlanValues.abbreviate(name) + "' in " + what
						+ closest(name, allowed) + "; allowed: " + String.join(", ", allowed));
				continue;
			}
			fields.entries.put(name, entry);
		}
		return fields;
	}

	/** A hint for a typo: the allowed key at most two edits away, if there is one. */
	private static String closest(String name, List<String> allowed) {
		if (name.length() > 40) {
			return "";
		}
		return allowed.stream()
			.filter((candidate) -> editDistance(name, candidate) <= 2)
			.findFirst()
			.map((candidate) -> " (did you mean '" + candidate + "'?)")
			.orElse("");
	}

	private static int editDistance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/** The first value of a key, read before the mapping's allowed keys are known. */
	static Node peek(MappingNode mapping, String key) {
		for (NodeTuple entry : mapping.getValue()) {
			if (entry.getKeyNode() instanceof ScalarNode scalar && key.equals(scalar.getValue())) {
				return entry.getValueNode();
			}
		}
		return null;
	}

	private static String child(String path, String key) {
		return path.isEmpty() ? key : path + "." + key;
	}

	boolean isMapping() {
		return this.node instanceof MappingNode;
	}

	Node node() {
		return this.node;
	}

	List<String> names() {
		return List.copyOf(this.entries.keySet());
	}

	/** Whether the key is written with a value; {@code key: ~} counts as absent. */
	boolean has(String key) {
		NodeTuple entry = this.entries.get(key);
		return entry != null && !PlanValues.isNull(entry.getValueNode());
	}

	boolean required(String key) {
		return required(key, "");
	}

	/**
	 * Reports a missing or empty required key.
	 * @return whether the key has a value
	 */
	boolean required(String key, String hint) {
		if (has(key)) {
			return true;
		}
		if (!isMapping()) {
			// the wrong type of the mapping itself is reported already
			return false;
		}
		NodeTuple entry = this.entries.get(key);
		if (entry != null) {
			this.values.error(entry.getValueNode(), child(this.path, key), "Key '" + key + "' needs a value" + hint);
		}
		else {
			this.values.error(this.node, child(this.path, key), "Missing key '" + key + "' in " + this.what + hint);
		}
		return false;
	}

	Node value(String key) {
		NodeTuple entry = this.entries.get(key);
		return (entry != null) ? entry.getValueNode() : null;
	}

	Node key(String key) {
		NodeTuple entry = this.entries.get(key);
		return (entry != null) ? entry.getKeyNode() : null;
	}

}
