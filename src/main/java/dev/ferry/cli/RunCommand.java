package dev.ferry.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ferry run PLAN PHASE --dry-run|--apply}: requests a run, or attaches to the one
 * of that phase and mode already active; with {@code --wait} follows it to its end and
 * exits by its outcome.
 */
@Command(name = "run",
		description = { "Requests a dry run (OPERATOR) or an apply (OPERATOR, approved) of a phase.",
				"A run of the phase in that mode that is already active is attached to, not requested again.",
				"A phase whose apply stands, unchanged since, has nothing to do: exit 0, 0 rows written." })
final class RunCommand extends Base {

	/** What {@code --fail-on} can turn into exit code 6. */
	enum FailOn {

		conflicts, rejected, gates

	}

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "PLAN")
	String plan;

	@Parameters(index = "1", paramLabel = "PHASE")
	String phase;

	@ArgGroup(exclusive = true, multiplicity = "1")
	Mode mode;

	@Mixin
	Following following;

	@Option(names = "--fail-on", split = ",", paramLabel = "OUTCOME",
			description = "Exit 6 when a dry run that succeeded has any of: ${COMPLETION-CANDIDATES} (implies --wait).")
	List<FailOn> failOn = new ArrayList<>();

	@Option(names = "--confirm-irreversible",
			description = "Confirm the apply of a phase the plan marks irreversible (it has no rollback).")
	boolean confirmIrreversible;

	static final class Mode {

		@Option(names = "--dry-run", required = true,
				description = "A dry run: writes nothing, shows what would change.")
		boolean dryRun;

		@Option(names = "--apply", required = true, description = "The apply of the phase's approved dry run.")
		boolean apply;

	}

	@Override
	public Integer call() {
		if (!this.failOn.isEmpty() && this.mode.apply) {
			throw new CommandLine.ParameterException(this.spec.commandLine(),
					"--fail-on judges a dry run: use it with --dry-run.");
		}
		boolean waiting = this.following.waiting() || !this.failOn.isEmpty();
		String mode = this.mode.apply ? "apply" : "dry-run";
		String words = this.mode.apply ? "apply" : "dry run";
		Api api = api();
		String planPath = "/api/v1/plans/" + Api.segment(this.plan);
		JsonNode status = api.get(planPath);
		JsonNode phase = phase(status);
		String again = "ferry run " + this.plan + " " + this.phase + " --" + mode + " --wait";

		Long runId = null;
		boolean attached = false;
		JsonNode active = active(api, mode);
		if (active != null) {
			runId = active.path("id").asLong();
			attached = true;
			this.out.note("Attaching to " + RunWatch.label(active) + ", already " + active.path("state").asString()
					+ " (requested by " + active.path("requestedBy").asString() + " at "
					+ active.path("requestedAt").asString() + "): nothing new requested.");
		}
		else {
			JsonNode applied = appliedAlready(api, phase, mode);
			if (applied != null) {
				say("Phase " + this.phase + " of " + this.plan + " is applied: apply #" + applied.path("id").asLong()
						+ " (version " + applied.path("version").asInt()
						+ ") stands and the phase is unchanged since. Nothing to do: 0 rows written.");
				if (json()) {
					this.out.json(applied);
				}
				return Exit.OK;
			}
			ObjectNode body = Api.JSON.createObjectNode().put("mode", mode);
			if (this.confirmIrreversible) {
				body.put("confirmIrreversible", true);
			}
			Api.Answer answer = api.exchange("POST", planPath + "/phases/" + Api.segment(this.phase) + "/runs",
					"application/json", Api.JSON.writeValueAsBytes(body));
			if (answer.status() == 409) {
				// requested by someone else at the same moment: attach to theirs
				active = active(api, mode);
				if (active == null) {
					throw Api.failure("POST", "runs", answer);
				}
				runId = active.path("id").asLong();
				attached = true;
				this.out.note("Attaching to " + RunWatch.label(active) + ", requested by "
						+ active.path("requestedBy").asString() + " a moment ago.");
			}
			else if (answer.status() >= 300) {
				throw Api.failure("POST", "runs", answer);
			}
			else {
				runId = Api.json(answer).path("runId").asLong();
			}
		}

		if (!waiting) {
			if (json()) {
				this.out.json(Api.JSON.createObjectNode().put("runId", runId).put("attached", attached));
			}
			say((attached ? "Attached to " : "Requested ") + words + " #" + runId + " of " + this.plan + " · "
					+ this.phase + "; follow it with: " + again);
			return Exit.OK;
		}
		JsonNode run = RunWatch.follow(api, this.out, runId, this.following.timeout, this.following.poll, again);
		if (json()) {
			this.out.json(run);
		}
		RunWatch.outcome(run);
		say(capital(RunWatch.label(run)) + " succeeded in " + Durations.words(RunWatch.took(run))
				+ outcome(api, phase, run) + ".");
		if (!this.failOn.isEmpty()) {
			tripped(api, phase, run);
		}
		return Exit.OK;
	}

	private JsonNode phase(JsonNode status) {
		List<String> ids = new ArrayList<>();
		for (JsonNode phase : status.path("phases")) {
			if (phase.path("id").asString().equals(this.phase)) {
				return phase;
			}
			ids.add(phase.path("id").asString());
		}
		throw new CliException(Exit.USAGE, "Plan " + this.plan + " (version " + status.path("version").asInt()
				+ ") has no phase " + this.phase + "; its phases: " + String.join(", ", ids) + ".");
	}

	/** The newest queued or running run of the phase in this mode, or null. */
	private JsonNode active(Api api, String mode) {
		JsonNode page = api.get("/api/v1/plans/" + Api.segment(this.plan) + "/runs?limit=100");
		for (JsonNode run : page.path("items")) {
			if (run.path("phase").asString().equals(this.phase) && run.path("mode").asString().equals(mode)
					&& RunWatch.ACTIVE.contains(run.path("state").asString())) {
				return run;
			}
		}
		return null;
	}

	/**
	 * The apply that stands when the server would refuse this request because of it and
	 * the phase has not changed since that apply's version: a rerun with nothing to do.
	 */
	private JsonNode appliedAlready(Api api, JsonNode phase, String mode) {
		JsonNode action = phase.path("actions").path(mode.equals("apply") ? "apply" : "dryRun");
		String state = phase.path("state").asString();
		if (action.path("allowed").asBoolean(true) || !phase.path("standingApply").isNumber()
				|| !Set.of("applied", "verifying", "verified").contains(state)) {
			return null;
		}
		JsonNode apply = api.get("/api/v1/runs/" + phase.path("standingApply").asLong());
		if (!apply.path("state").asString().equals("succeeded")
				|| apply.path("version").asInt() < phase.path("definedInVersion").asInt()) {
			return null;
		}
		return apply;
	}

	/**
	 * What the run found or wrote, in words, after a colon (empty for a phase that only
	 * measures).
	 */
	private String outcome(Api api, JsonNode phase, JsonNode run) {
		String kind = phase.path("kind").asString();
		if (kind.equals("mapping") && !this.mode.apply) {
			JsonNode coverage = api.get("/api/v1/plans/" + Api.segment(this.plan) + "/phases/" + Api.segment(this.phase)
					+ "/mapping/coverage");
			return String.format(Locale.ROOT,
					": %,d items: auto %,d, manual %,d, excluded %,d, ambiguous %,d, unresolved %,d, conflict %,d; "
							+ "coverage %.2f%%, %,d open",
					coverage.path("all").asLong(), coverage.path("auto").asLong(), coverage.path("manual").asLong(),
					coverage.path("excluded").asLong(), coverage.path("ambiguous").asLong(),
					coverage.path("unresolved").asLong(), coverage.path("conflict").asLong(),
					coverage.path("coverage").asDouble() * 100, coverage.path("open").asLong());
		}
		if (kind.equals("import") || kind.equals("mapping")) {
			return ": " + RunWatch.counts(run)
					+ (this.mode.apply ? String.format(Locale.ROOT, " (%,d rows written)", written(run)) : "");
		}
		return "";
	}

	private static long written(JsonNode run) {
		JsonNode counts = run.path("counts");
		return counts.path("inserted").asLong() + counts.path("updated").asLong() + counts.path("deleted").asLong();
	}

	/** Checks each {@code --fail-on} outcome and exits 6 naming what tripped. */
	private void tripped(Api api, JsonNode phase, JsonNode run) {
		List<String> reasons = new ArrayList<>();
		Set<String> names = new LinkedHashSet<>();
		for (FailOn outcome : new LinkedHashSet<>(this.failOn)) {
			List<String> found = switch (outcome) {
				case conflicts -> conflicts(api, phase, run);
				case rejected -> rejected(api, run);
				case gates -> gates(api);
			};
			if (!found.isEmpty()) {
				names.add(outcome.name());
				reasons.addAll(found);
			}
		}
		if (!reasons.isEmpty()) {
			throw new CliException(Exit.TRIPPED,
					"--fail-on " + String.join(",", names) + ": " + RunWatch.label(run) + " succeeded, but:", reasons);
		}
	}

	/**
	 * A mapping phase's items in conflict (old records auto-matched to one new record
	 * that allows one), grouped by the new record they claim; an import's conflicting
	 * rows.
	 */
	private List<String> conflicts(Api api, JsonNode phase, JsonNode run) {
		List<String> reasons = new ArrayList<>();
		if (!phase.path("kind").asString().equals("mapping")) {
			long conflicts = run.at("/counts/conflicts").asLong();
			if (conflicts > 0) {
				reasons.add(plural(conflicts, "row conflicts", "rows conflict") + " with the target.");
			}
			return reasons;
		}
		Map<String, List<String>> claims = new LinkedHashMap<>();
		long items = 0;
		String after = null;
		String path = "/api/v1/plans/" + Api.segment(this.plan) + "/phases/" + Api.segment(this.phase)
				+ "/mapping?status=conflict&limit=500";
		do {
			JsonNode page = api.get(path + (after == null ? "" : "&after=" + Api.query(after)));
			for (JsonNode item : page.path("items")) {
				items++;
				String newKey = Api.text(item.get("newKey"));
				if (newKey == null) {
					newKey = Api.text(item.path("candidates").path(0).get("newKey"));
				}
				if (claims.size() < 1000 || claims.containsKey(newKey)) {
					claims.computeIfAbsent(String.valueOf(newKey), key -> new ArrayList<>())
						.add(item.path("oldKey").asString());
				}
			}
			after = Api.text(page.get("next"));
		}
		while (after != null);
		if (items == 0) {
			return reasons;
		}
		reasons.add(plural(items, "item is", "items are") + " in conflict: "
				+ plural(claims.size(), "new record is", "new records are") + " claimed by more than one old record.");
		int listed = 0;
		for (Map.Entry<String, List<String>> claim : claims.entrySet()) {
			if (listed++ == 50) {
				reasons.add("… and " + (claims.size() - 50) + " more.");
				break;
			}
			reasons.add("new " + claim.getKey() + " <- old " + String.join(", ", claim.getValue()));
		}
		return reasons;
	}

	private List<String> rejected(Api api, JsonNode run) {
		List<String> reasons = new ArrayList<>();
		long rejected = run.at("/counts/rejected").asLong();
		if (rejected == 0) {
			return reasons;
		}
		reasons.add(plural(rejected, "row was", "rows were") + " rejected.");
		Api.Answer report = api.exchange("GET", "/api/v1/runs/" + run.path("id").asLong() + "/report", null, null);
		if (report.status() == 200) {
			Api.json(report)
				.path("rejectedByRule")
				.properties()
				.forEach(rule -> reasons.add(rule.getKey() + ": " + plural(rule.getValue().asLong(), "row", "rows")));
		}
		return reasons;
	}

	/** The phase's gates, measured now: those that fail. */
	private List<String> gates(Api api) {
		List<String> reasons = new ArrayList<>();
		JsonNode gates = api.post(
				"/api/v1/plans/" + Api.segment(this.plan) + "/phases/" + Api.segment(this.phase) + "/gates/evaluate",
				null);
		for (JsonNode gate : gates) {
			if (gate.path("state").asString().equals("fail")) {
				String value = Api.text(gate.get("value"));
				String threshold = Api.text(gate.get("threshold"));
				String detail = Api.text(gate.get("detail"));
				reasons.add("Gate " + gate.path("id").asString() + " fails" + (value == null ? "" : ": " + value)
						+ (threshold == null ? "" : ", needs " + threshold)
						+ (detail == null ? "" : " (" + detail + ")"));
			}
		}
		return reasons;
	}

	static String capital(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

}
