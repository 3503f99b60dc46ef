package dev.ferry.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code ferry cancel RUN}. */
@Command(name = "cancel", description = "Stops a run after its current batch (OPERATOR).")
final class CancelCommand extends Base {

	@Parameters(index = "0", paramLabel = "RUN")
	long run;

	@Override
	public Integer call() {
		JsonNode run = api().post("/api/v1/runs/" + this.run + "/cancel", null);
		if (json()) {
			this.out.json(run);
		}
		say(RunCommand.capital(RunWatch.label(run)) + " is " + run.path("state").asString()
				+ (RunWatch.ENDED.contains(run.path("state").asString()) ? "."
						: ": it stops after its current batch."));
		return Exit.OK;
	}

}
