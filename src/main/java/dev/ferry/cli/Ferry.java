package dev.ferry.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code ferry}: Ferry from a pipeline. Each command calls the public API with a token
 * and ends with one of the exit codes of {@link Exit} (docs/cli.md).
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = Ferry.Version.class,
		description = { "Drives Ferry from a terminal or a pipeline through its API (docs/cli.md).",
				"Connects to FERRY_URL with the API token in FERRY_TOKEN (or --url and --token)." },
		subcommands = { PlanCommand.class, StatusCommand.class, RunCommand.class, ChangesCommand.class,
				ApproveCommand.class, AwaitApprovalCommand.class, RejectCommand.class, RollbackCommand.class,
				CancelCommand.class, DecisionsCommand.class, AuditCommand.class },
		footer = { "", "Exit codes:", "  0  success", "  1  Ferry could not be reached, or failed (5xx)",
				"  2  usage or invalid input (the plan's FILE:LINE:COL problems)",
				"  3  not authenticated or not allowed", "  4  refused by a rule (the reasons are printed)",
				"  5  the run failed (its error is printed)", "  6  --fail-on tripped",
				"  7  timed out waiting (the run goes on)", "", "docs/cli.md has the whole reference and a pipeline." })
public final class Ferry {

	private Ferry() {
	}

	public static void main(String[] args) {
		System.exit(run(Out.system(), args));
	}

	/** Runs one command line and returns its exit code. */
	static int run(Out out, String... args) {
		CommandLine command = new CommandLine(new Ferry());
		command.setOut(new PrintWriter(out.out, true, StandardCharsets.UTF_8));
		command.setErr(new PrintWriter(out.err, true, StandardCharsets.UTF_8));
		command.setColorScheme(CommandLine.Help
			.defaultColorScheme(out.terminal ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
		command.setExecutionExceptionHandler((ex, line, parsed) -> {
			if (ex instanceof CliException failure) {
				out.note("ferry: " + failure.getMessage());
				failure.reasons().forEach(reason -> out.note("  - " + reason));
				return failure.exitCode();
			}
			out.note("ferry: unexpected error: " + ex);
			return Exit.UNAVAILABLE;
		});
		command.setExitCodeExceptionMapper(ex -> Exit.USAGE);
		for (CommandLine sub : command.getSubcommands().values()) {
			inject(sub, out);
		}
		return command.execute(args);
	}

	private static void inject(CommandLine command, Out out) {
		if (command.getCommand() instanceof Common.Aware aware) {
			aware.out(out);
		}
		for (CommandLine sub : command.getSubcommands().values()) {
			inject(sub, out);
		}
	}

	static String version() {
		String version = Ferry.class.getPackage().getImplementationVersion();
		return version == null ? "dev" : version;
	}

	/** {@code ferry --version}. */
	static final class Version implements IVersionProvider {

		@Override
		public String[] getVersion() {
			return new String[] { "ferry " + version() };
		}

	}

}
