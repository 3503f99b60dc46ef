package dev.ferry.problem;

/** A request that names something Ferry does not have (a user, a plan, a run). */
public class NotFoundException extends RuntimeException {

	private final String code;

	private final transient Object[] args;

	public NotFoundException(String code, String defaultMessage, Object... args) {
		super(defaultMessage);
		this.code = code;
		this.args = args;
	}

	public String getCode() {
		return this.code;
	}

	public Object[] getArgs() {
		return this.args.clone();
	}

}
