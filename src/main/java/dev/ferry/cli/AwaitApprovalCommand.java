package dev.ferry.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code ferry await-approval PLAN PHASE --run N}: a pipeline's pause while people review
 * the dry run in the console. Ends 0 once the apply of that dry run is approved, 4 when a
 * reviewer requested changes or a newer dry run replaced it, 7 on the timeout.
 */
@Command(name = "await-approval",
		description = { "Waits until a phase's dry run is approved as its apply needs (VIEWER).",
				"Exit 0 approved; 4 changes were requested or a newer dry run replaced it; 7 timed out." })
final class AwaitApprovalCommand extends Base {

	@Parameters(index = "0", paramLabel = "PLAN")
	String plan;

	@Parameters(index = "1", paramLabel = "PHASE")
	String phase;

	@Option(names = "--run", required = true, paramLabel = "N", description = "The dry run under review.")
	long run;

	@Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
			description = "Give up after this long (exit 7), e.g. 24h.")
	Duration timeout;

	@Option(names = "--poll", paramLabel = "DURATION", converter = Durations.class,
			defaultValue = "${env:FERRY_POLL:-10s}", description = "How often to ask (default: $FERRY_POLL, else 10s).")
	Duration poll;

	@Override
	public Integer call() {
		Api api = api();
		String planPath = "/api/v1/plans/" + Api.segment(this.plan);
		String what = "dry run #" + this.run + " of " + this.plan + " · " + this.phase;
		Instant deadline = this.timeout == null ? null : Instant.now().plus(this.timeout);
		List<String> said = null;
		while (true) {
			JsonNode phase = phase(api.get(planPath));
			long latest = phase.at("/lastDryRun/id").asLong(-1);
			if (latest != this.run) {
				throw new CliException(Exit.REFUSED, capital(what) + " is no longer the one an apply would use: "
						+ (latest < 0 ? "the phase has no dry run now." : "dry run #" + latest + " is newer."));
			}
			changesRequested(api, planPath);
			JsonNode approve = phase.path("actions").path("approve");
			JsonNode apply = phase.path("actions").path("apply");
			String state = phase.path("state").asString();
			if (phase.path("standingApply").isNumber()
					|| java.util.Set.of("applying", "applied", "verifying", "verified").contains(state)) {
				if (json()) {
					this.out.json(phase);
				}
				say(capital(what) + " was approved and its apply has " + (state.equals("applying") ? "started" : "run")
						+ " (phase " + this.phase + " is " + state + ").");
				return Exit.OK;
			}
			if (state.equals("approved")) {
				if (json()) {
					this.out.json(phase);
				}
				List<String> held = strings(apply.path("reasons"));
				say(capital(what) + " is approved" + (held.isEmpty() ? ": its apply may start."
						: "; its apply is still held: " + String.join(" ", held)));
				return Exit.OK;
			}
			List<String> missing = strings(apply.path("reasons"));
			if (!missing.equals(said)) {
				this.out.note("Waiting for the approval of " + what + (missing.isEmpty() ? "." : ":"));
				missing.forEach(reason -> this.out.note("  - " + reason));
				said = missing;
			}
			if (!approve.path("allowed").asBoolean(true) && !state.equals("dry-run-ready")) {
				throw new CliException(Exit.REFUSED, capital(what) + " cannot be approved now.",
						strings(approve.path("reasons")));
			}
			Instant now = Instant.now();
			if (deadline != null && !now.isBefore(deadline)) {
				throw new CliException(Exit.TIMED_OUT, "Timed out after " + Durations.words(this.timeout)
						+ " waiting for the approval of " + what + ".");
			}
			RunWatch.pause(this.poll, now, deadline, "the approval of " + what);
		}
	}

	private JsonNode phase(JsonNode status) {
		for (JsonNode phase : status.path("phases")) {
			if (phase.path("id").asString().equals(this.phase)) {
				return phase;
			}
		}
		throw new CliException(Exit.USAGE, "Plan " + this.plan + " has no phase " + this.phase + ".");
	}

	/** A reviewer's request for changes ends the wait: the answer is a new dry run. */
	private void changesRequested(Api api, String planPath) {
		JsonNode notes = api.get(planPath + "/phases/" + Api.segment(this.phase) + "/notes?runId=" + this.run);
		for (JsonNode note : notes) {
			if (note.path("kind").asString().equals("changes-requested")) {
				throw new CliException(Exit.REFUSED,
						note.path("author").asString() + " requested changes to dry run #" + this.run + ": \""
								+ note.path("text").asString() + "\"",
						List.of("Make them, then run a new dry run: ferry run " + this.plan + " " + this.phase
								+ " --dry-run --wait"));
			}
		}
	}

	private static List<String> strings(JsonNode list) {
		List<String> strings = new ArrayList<>();
		list.forEach(item -> strings.add(item.asString()));
		return strings;
	}

	private static String capital(String text) {
		return RunCommand.capital(text);
	}

}
