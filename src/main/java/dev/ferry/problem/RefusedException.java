package dev.ferry.problem;

import java.util.List;

/**
 * A request a rule refuses. {@link #getCode()} names a message of
 * {@code messages.properties}, {@link #getArgs()} fill it in; the exception message is
 * the English default used by the API and the log. {@link #getReasons()} lists the
 * individual reasons when there are several (a locked apply).
 */
public class RefusedException extends RuntimeException {

	private final String code;

	private final transient Object[] args;

	private final List<String> reasons;

	public RefusedException(String code, String defaultMessage, Object... args) {
		this(code, defaultMessage, List.of(), args);
	}

	public RefusedException(String code, String defaultMessage, List<String> reasons, Object... args) {
		super(defaultMessage);
		this.code = code;
		this.args = args;
		this.reasons = List.copyOf(reasons);
	}

	public String getCode() {
		return this.code;
	}

	public Object[] getArgs() {
		return this.args.clone();
	}

	public List<String> getReasons() {
		return this.reasons;
	}

}
