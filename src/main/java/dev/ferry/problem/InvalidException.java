package dev.ferry.problem;

/**
 * Input that cannot be accepted as given (a refused JDBC URL, a malformed field): HTTP
 * 400 in the API, an error beside the field in the console. Carries a message code of
 * {@code messages.properties} with its arguments, and an English default;
 * {@link #getField()} names the form field it belongs to, when it belongs to one.
 */
public class InvalidException extends RuntimeException {

	private final String field;

	private final String code;

	private final transient Object[] args;

	public InvalidException(String field, String code, String defaultMessage, Object... args) {
		super(defaultMessage);
		this.field = field;
		this.code = code;
		this.args = args;
	}

	public String getField() {
		return this.field;
	}

	public String getCode() {
		return this.code;
	}

	public Object[] getArgs() {
		return this.args.clone();
	}

}
