package dev.ferry.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ferry approve PLAN PHASE --run N}: approves the dry run one reviewed. */
@Command(name = "approve",
		description = { "Approves a phase's dry run (OPERATOR or OWNER; not the dry run's requester).",
				"The approval names what was reviewed: any later change voids it." })
final class ApproveCommand extends Base {

	@Parameters(index = "0", paramLabel = "PLAN")
	String plan;

	@Parameters(index = "1", paramLabel = "PHASE")
	String phase;

	@Option(names = "--run", required = true, paramLabel = "N", description = "The dry run reviewed.")
	long run;

	@Option(names = "--comment", paramLabel = "TEXT")
	String comment;

	@Override
	public Integer call() {
		ObjectNode body = Api.JSON.createObjectNode().put("runId", this.run);
		if (this.comment != null) {
			body.put("comment", this.comment);
		}
		JsonNode approval = api().post(
				"/api/v1/plans/" + Api.segment(this.plan) + "/phases/" + Api.segment(this.phase) + "/approvals", body);
		if (json()) {
			this.out.json(approval);
		}
		String as = approval.path("asOperator").asBoolean()
				? (approval.path("asOwner").asBoolean() ? "operator and owner" : "operator") : "owner";
		say("Dry run #" + this.run + " of " + this.plan + " · " + this.phase + " approved by "
				+ approval.path("approvedBy").asString() + " as " + as + " (approval #" + approval.path("id").asLong()
				+ ", reviewed " + approval.path("reviewedSha256").asString() + ").");
		return Exit.OK;
	}

}
