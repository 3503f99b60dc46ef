package dev.ferry.cli;

import picocli.CommandLine.Option;

/** The options every command takes: where Ferry is, the token, and JSON output. */
final class Common {

	@Option(names = "--url", paramLabel = "URL", defaultValue = "${env:FERRY_URL}",
			description = "Ferry's address (default: $FERRY_URL).")
	String url;

	@Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:FERRY_TOKEN}",
			description = "An API token (default: $FERRY_TOKEN; prefer the variable: a flag shows in process lists).")
	String token;

	@Option(names = "--json", description = "Print the API's JSON instead of text.")
	boolean json;

	Api api() {
		return new Api(this.url, this.token);
	}

	/** A command that writes through an {@link Out} given before it runs. */
	interface Aware {

		void out(Out out);

	}

}
