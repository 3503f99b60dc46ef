package dev.ferry.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ferry reject PLAN PHASE --run N --comment TEXT}: a request for changes. */
@Command(name = "reject", description = { "Requests changes to a phase's dry run (OPERATOR or OWNER).",
		"Approving and applying that dry run are refused until a new dry run answers them." })
final class RejectCommand extends Base {

	@Parameters(index = "0", paramLabel = "PLAN")
	String plan;

	@Parameters(index = "1", paramLabel = "PHASE")
	String phase;

	@Option(names = "--run", required = true, paramLabel = "N", description = "The dry run reviewed.")
	long run;

	@Option(names = "--comment", required = true, paramLabel = "TEXT", description = "What must change.")
	String comment;

	@Override
	public Integer call() {
		ObjectNode body = Api.JSON.createObjectNode()
			.put("runId", this.run)
			.put("kind", "changes-requested")
			.put("text", this.comment);
		JsonNode note = api()
			.post("/api/v1/plans/" + Api.segment(this.plan) + "/phases/" + Api.segment(this.phase) + "/notes", body);
		if (json()) {
			this.out.json(note);
		}
		say(note.path("author").asString() + " requested changes to dry run #" + this.run + " of " + this.plan + " · "
				+ this.phase + ".");
		return Exit.OK;
	}

}
