package dev.ferry.changeset.internal;

import java.util.List;

import dev.ferry.changeset.JsonTexts;
import dev.ferry.changeset.Rejection;

/**
 * The one spelling of change rows' values that is stored and hashed: JSON arrays of
 * strings and nulls, written the same way every time (no spaces, minimal escapes), so
 * the change set's sha256 depends on its content only.
 */
final class CanonicalJson {

	private CanonicalJson() {
	}

	static String array(List<String> values) {
		return JsonTexts.array(values);
	}

	/** Appends the array (which is not null) to {@code json}. */
	static StringBuilder array(StringBuilder json, List<String> values) {
		return JsonTexts.array(json, values);
	}

	static String reasons(List<Rejection> reasons) {
		if (reasons == null || reasons.isEmpty()) {
			return null;
		}
		StringBuilder json = new StringBuilder(128 * reasons.size()).append('[');
		for (int i = 0; i < reasons.size(); i++) {
			Rejection reason = reasons.get(i);
			json.append(i > 0 ? ",{" : "{").append("\"column\":");
			string(json, reason.column());
			json.append(",\"value\":");
			string(json, reason.value());
			json.append(",\"rule\":");
			string(json, reason.rule());
			json.append(",\"message\":");
			string(json, reason.message());
			json.append('}');
		}
		return json.append(']').toString();
	}

	static void string(StringBuilder json, String value) {
		JsonTexts.string(json, value);
	}

	/**
	 * Reads an array as {@link #array} writes it ({@link JsonTexts#parseArray}).
	 * @param json the array, or {@code null}
	 * @return its values (nulls kept), or {@code null}
	 */
	static List<String> parseArray(String json) {
		return JsonTexts.parseArray(json);
	}

}
