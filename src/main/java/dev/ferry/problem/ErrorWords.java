package dev.ferry.problem;

import java.sql.SQLException;

/**
 * An error in words for a person: a refusal's own message, else the database driver's
 * message (the deepest {@link SQLException}, which names the host, the table, the
 * password problem), else the exception's message.
 */
public final class ErrorWords {

	private ErrorWords() {
	}

	public static String of(Throwable error) {
		String best = null;
		for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
			if (cause instanceof RefusedException) {
				return cause.getMessage();
			}
			if (cause instanceof SQLException && cause.getMessage() != null) {
				best = cause.getMessage();
			}
		}
		if (best == null) {
			best = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
		}
		return best;
	}

}
