package dev.ferry.cli;

import java.time.Duration;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ferry rollback RUN}: rolls an apply back exactly. */
@Command(name = "rollback",
		description = { "Rolls an apply back exactly (OPERATOR): the newest apply of its plan first.",
				"An apply that wrote more than 10,000 rows needs --confirm-plan with its plan's id." })
final class RollbackCommand extends Base {

	@Parameters(index = "0", paramLabel = "RUN", description = "The apply's run id.")
	long run;

	@Option(names = "--confirm-plan", paramLabel = "PLAN", description = "The apply's plan id, for a large apply.")
	String confirmPlan;

	@Mixin
	Following following;

	@Override
	public Integer call() {
		Api api = api();
		ObjectNode body = Api.JSON.createObjectNode();
		if (this.confirmPlan != null) {
			body.put("confirmPlan", this.confirmPlan);
		}
		long rollback = api.post("/api/v1/runs/" + this.run + "/rollback", body).path("runId").asLong();
		if (!this.following.waiting()) {
			if (json()) {
				this.out.json(Api.JSON.createObjectNode().put("runId", rollback));
			}
			say("Rollback #" + rollback + " of apply #" + this.run + " requested; follow it with: ferry rollback "
					+ this.run + " --wait");
			return Exit.OK;
		}
		JsonNode done = RunWatch.follow(api, this.out, rollback, this.following.timeout, this.following.poll,
				"ferry changes " + rollback + " --summary, or the run page in Ferry");
		if (json()) {
			this.out.json(done);
		}
		RunWatch.outcome(done);
		say(RunCommand.capital(RunWatch.label(done)) + " succeeded in " + Durations.words(RunWatch.took(done)) + ": "
				+ RunWatch.counts(done) + "; apply #" + this.run + " is rolled back.");
		return Exit.OK;
	}

}
