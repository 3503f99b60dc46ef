package dev.ferry.cli;

/**
 * The exit codes of {@code ferry}, stable and documented in docs/cli.md.
 */
final class Exit {

	/** Done as asked. */
	static final int OK = 0;

	/** Ferry could not be reached, or answered with an error of its own (5xx). */
	static final int UNAVAILABLE = 1;

	/** A wrong command line, or input Ferry refused as invalid (400, 404, 422). */
	static final int USAGE = 2;

	/**
	 * No token, a token Ferry does not accept, or a role the action needs (401, 403,
	 * 429).
	 */
	static final int NOT_ALLOWED = 3;

	/**
	 * Refused by a rule: the 409's reasons (gates, approvals, the window, the lifecycle).
	 */
	static final int REFUSED = 4;

	/** The run failed or was cancelled, or the audit log's chain is broken. */
	static final int FAILED = 5;

	/** {@code --fail-on} tripped on a dry run that succeeded. */
	static final int TRIPPED = 6;

	/** Waiting ran past {@code --timeout}; the run goes on in Ferry. */
	static final int TIMED_OUT = 7;

	private Exit() {
	}

}
