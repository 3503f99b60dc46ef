package dev.ferry.changeset.internal;

import java.util.List;

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
		if (values == null) {
			return null;
		}
		StringBuilder json = new StringBuilder(16 * values.size() + 2).append('[');
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				json.append(',');
			}
			string(json, values.get(i));
		}
		return json.append(']').toString();
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
		if (value == null) {
			json.append("null");
			return;
		}
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}
