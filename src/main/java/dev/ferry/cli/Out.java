package dev.ferry.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;

/**
 * Where a command writes: results on standard output (the API's JSON with
 * {@code --json}), progress and diagnostics on standard error. Control characters (the
 * progress bar's carriage returns) only when standard error is a terminal.
 */
final class Out {

	final PrintStream out;

	final PrintStream err;

	final boolean terminal;

	Out(PrintStream out, PrintStream err, boolean terminal) {
		this.out = out;
		this.err = err;
		this.terminal = terminal;
	}

	static Out system() {
		String term = System.getenv("TERM");
		boolean terminal = System.console() != null && (term == null || !term.equals("dumb"));
		return new Out(new PrintStream(System.out, true, StandardCharsets.UTF_8),
				new PrintStream(System.err, true, StandardCharsets.UTF_8), terminal);
	}

	void line(String text) {
		this.out.println(text);
	}

	void note(String text) {
		this.err.println(text);
	}

	void json(JsonNode node) {
		this.out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
	}

}
