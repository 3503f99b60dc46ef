package dev.ferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code ferry plan push}: plans as code. */
@Command(name = "plan", description = "Plans as code.", subcommands = PlanCommand.Push.class)
final class PlanCommand implements Runnable {

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		throw new CommandLine.ParameterException(this.spec.commandLine(), "Missing subcommand: ferry plan push FILE…");
	}

	/**
	 * Checks every file first and saves none unless all are valid; then saves each as its
	 * plan's next version (or leaves it unchanged).
	 */
	@Command(name = "push", description = { "Saves each plan file as its plan's next version (ADMIN).",
			"Every file is checked first; when one is invalid, none is saved and each problem is printed as FILE:LINE:COL: message." })
	static final class Push extends Base {

		@Parameters(arity = "1..*", paramLabel = "FILE", description = "Plan files (YAML).")
		List<Path> files;

		@Option(names = "--check", description = "Only validate the files; save nothing.")
		boolean check;

		@Override
		public Integer call() {
			Api api = api();
			List<Checked> checked = new ArrayList<>();
			boolean invalid = false;
			for (Path file : this.files) {
				byte[] yaml;
				try {
					yaml = Files.readAllBytes(file);
				}
				catch (IOException ex) {
					throw new CliException(Exit.USAGE, file + ": cannot be read (" + ex.getMessage() + ").");
				}
				JsonNode answer = Api.json(api.send("POST", "/api/v1/plans/check", "application/yaml", yaml));
				for (JsonNode problem : answer.path("errors")) {
					this.out.note(location(file, problem) + problem.path("message").asString());
				}
				for (JsonNode problem : answer.path("warnings")) {
					this.out.note(location(file, problem) + "warning: " + problem.path("message").asString());
				}
				invalid |= !answer.path("valid").asBoolean();
				checked.add(new Checked(file, yaml, answer));
			}
			if (invalid) {
				if (json()) {
					ArrayNode all = Api.JSON.createArrayNode();
					checked.forEach(c -> all.add(c.answer()));
					this.out.json(all);
				}
				long bad = checked.stream().filter(c -> !c.answer().path("valid").asBoolean()).count();
				throw new CliException(Exit.USAGE, plural(bad, "plan file is", "plan files are") + " not valid"
						+ (this.check ? "." : ": nothing was saved."));
			}
			ArrayNode results = Api.JSON.createArrayNode();
			for (Checked file : checked) {
				String plan = file.answer().path("plan").asString();
				if (this.check) {
					results.add(file.answer());
					JsonNode voided = file.answer().path("voided");
					String effect = voided.isObject() && voided.path("phases").size() > 0
							? " Saving it would void: " + voided.path("summary").asString() : "";
					say(file.path() + ": valid, plan " + plan + "." + effect);
					continue;
				}
				JsonNode saved = Api
					.json(api.send("PUT", "/api/v1/plans/" + Api.segment(plan), "application/yaml", file.yaml()));
				results.add(saved);
				int version = saved.path("version").asInt();
				String what;
				if (!saved.path("created").asBoolean()) {
					what = "unchanged (version " + version + ")";
				}
				else if (version == 1) {
					what = "created (version 1)";
				}
				else {
					JsonNode voided = saved.path("voided");
					what = "new version " + version + (voided.isObject() && voided.path("phases").size() > 0
							? "; " + voided.path("summary").asString() : "");
				}
				say(file.path() + ": plan " + plan + " " + what);
			}
			if (json()) {
				this.out.json(results);
			}
			return Exit.OK;
		}

		private static String location(Path file, JsonNode problem) {
			return file + ":" + Math.max(1, problem.path("line").asInt()) + ":"
					+ Math.max(1, problem.path("column").asInt()) + ": ";
		}

		record Checked(Path path, byte[] yaml, JsonNode answer) {
		}

	}

}
