package dev.ferry.cli;

import java.time.Duration;

import picocli.CommandLine.Option;

/** The options of a command that may follow a run to its end. */
final class Following {

	@Option(names = "--wait", description = "Follow the run to its end and exit by its outcome.")
	boolean wait;

	@Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
			description = "Give up waiting after this long (exit 7), e.g. 30m; the run goes on. Implies --wait.")
	Duration timeout;

	@Option(names = "--poll", paramLabel = "DURATION", converter = Durations.class,
			defaultValue = "${env:FERRY_POLL:-1s}",
			description = "How often to ask for the run while waiting (default: $FERRY_POLL, else 1s).")
	Duration poll;

	boolean waiting() {
		return this.wait || this.timeout != null;
	}

}
