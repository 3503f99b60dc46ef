package dev.ferry.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code ferry status PLAN}: where each phase stands and what the server would accept
 * now.
 */
@Command(name = "status",
		description = "Each phase's state, gates, approvals and the reasons an action is locked (VIEWER).")
final class StatusCommand extends Base {

	/** The phase kinds with an apply. */
	static final java.util.Set<String> WRITING = java.util.Set.of("sql", "import", "mapping");

	@Parameters(index = "0", paramLabel = "PLAN")
	String plan;

	@Override
	public Integer call() {
		JsonNode status = api().get("/api/v1/plans/" + Api.segment(this.plan));
		if (json()) {
			this.out.json(status);
			return Exit.OK;
		}
		this.out.line("Plan " + status.path("plan").asString() + ", version " + status.path("version").asInt() + ": "
				+ status.path("title").asString());
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "PHASE", "KIND", "STATE", "LAST DRY RUN", "STANDING APPLY" });
		for (JsonNode phase : status.path("phases")) {
			JsonNode dryRun = phase.path("lastDryRun");
			rows.add(new String[] { phase.path("id").asString(), phase.path("kind").asString(), state(phase),
					dryRun.isObject() ? "#" + dryRun.path("id").asLong() + " " + dryRun.path("state").asString() : "-",
					phase.path("standingApply").isNumber() ? "#" + phase.path("standingApply").asLong() : "-" });
		}
		table(rows).forEach(this.out::line);
		for (JsonNode phase : status.path("phases")) {
			this.out.line("");
			this.out.line(phase.path("id").asString() + ": " + state(phase)
					+ (Api.text(phase.get("detail")) == null ? "" : " - " + phase.path("detail").asString()));
			for (JsonNode gate : phase.path("gates")) {
				String value = Api.text(gate.get("value"));
				String threshold = Api.text(gate.get("threshold"));
				this.out.line("  gate " + gate.path("id").asString() + ": " + gate.path("state").asString()
						+ (value == null ? "" : ", " + value)
						+ (threshold == null ? "" : " (needs " + threshold + ")"));
			}
			for (JsonNode approval : phase.path("approvals")) {
				String as = approval.path("asOperator").asBoolean()
						? (approval.path("asOwner").asBoolean() ? "operator and owner" : "operator") : "owner";
				this.out.line("  approved by " + approval.path("approvedBy").asString() + " as " + as
						+ (approval.path("valid").asBoolean() ? ""
								: " - void: " + approval.path("voidReason").asString()));
			}
			JsonNode actions = phase.path("actions");
			boolean writes = WRITING.contains(phase.path("kind").asString());
			for (String action : new String[] { "dryRun", "approve", "apply", "rollback" }) {
				JsonNode answer = actions.path(action);
				// a phase that only measures has no apply to approve or roll back; a
				// rollback is worth a line once an apply stands
				if (!answer.isObject() || (!writes && !action.equals("dryRun")) || (action.equals("rollback")
						&& !answer.path("allowed").asBoolean() && !phase.path("standingApply").isNumber())) {
					continue;
				}
				String name = action.equals("dryRun") ? "dry run" : action;
				if (answer.path("allowed").asBoolean()) {
					this.out.line("  " + name + ": allowed");
				}
				else {
					this.out.line("  " + name + ": locked");
					for (JsonNode reason : answer.path("reasons")) {
						this.out.line("    - " + reason.asString());
					}
				}
			}
		}
		return Exit.OK;
	}

	private static String state(JsonNode phase) {
		String failed = Api.text(phase.get("failedStep"));
		return phase.path("state").asString() + (failed == null ? "" : " (" + failed + ")");
	}

	/** Rows as columns padded to their widest cell. */
	static List<String> table(List<String[]> rows) {
		int[] widths = new int[rows.get(0).length];
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		List<String> lines = new ArrayList<>();
		for (String[] row : rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.length; i++) {
				line.append(i == row.length - 1 ? row[i]
						: String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", row[i]));
			}
			lines.add(line.toString().stripTrailing());
		}
		return lines;
	}

}
