package dev.ferry.cli;

import java.util.List;

/**
 * Ends a command with an exit code and what to print on standard error: a message and the
 * reasons Ferry gave, one per line.
 */
class CliException extends RuntimeException {

	private final int exitCode;

	private final List<String> reasons;

	CliException(int exitCode, String message) {
		this(exitCode, message, List.of());
	}

	CliException(int exitCode, String message, List<String> reasons) {
		super(message);
		this.exitCode = exitCode;
		this.reasons = List.copyOf(reasons);
	}

	int exitCode() {
		return this.exitCode;
	}

	List<String> reasons() {
		return this.reasons;
	}

}
