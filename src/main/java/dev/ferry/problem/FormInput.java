package dev.ferry.problem;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;

/**
 * Form fields that could not even be read as their type ({@code roles=BOGUS},
 * {@code readOnly=maybe}): no form of the console sends them, so they are refused as a
 * whole (400, in words) before anything is done with the form, instead of a form half
 * read, a default in their place, or a page that fails while it is drawn.
 */
public final class FormInput {

	private FormInput() {
	}

	/**
	 * Refuses the form when a field could not be converted.
	 * @param expected per field, what it takes in words ("true or false"); fields not
	 * named are "not a value this field takes"
	 */
	public static void refuseUnreadable(BindingResult result, Map<String, String> expected) {
		for (FieldError error : result.getFieldErrors()) {
			if (!error.isBindingFailure()) {
				continue;
			}
			Object rejected = error.getRejectedValue();
			String value = (rejected instanceof Object[] values)
					? Arrays.stream(values).map(String::valueOf).collect(Collectors.joining(", "))
					: String.valueOf(rejected);
			if (value.length() > 100) {
				value = value.substring(0, 99) + "…";
			}
			String field = error.getField();
			String takes = expected.getOrDefault(field, "a value this field takes");
			throw new InvalidException(field, "form.unreadable", field + ": '" + value + "' is not " + takes + ".",
					field, value, takes);
		}
	}

	/** The words for an enum field: one of its constants, named. */
	public static String oneOf(Class<? extends Enum<?>> type) {
		return "one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
	}

}
