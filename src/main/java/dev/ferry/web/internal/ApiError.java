package dev.ferry.web.internal;

import java.util.List;

/** The JSON error body of {@code api.md}: {@code {"error": "...", "reasons": [...]}}. */
record ApiError(String error, List<String> reasons) {

}
