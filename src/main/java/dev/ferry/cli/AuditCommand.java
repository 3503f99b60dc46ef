package dev.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code ferry audit verify}. */
@Command(name = "audit", description = "The audit log.", subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		throw new CommandLine.ParameterException(this.spec.commandLine(), "Missing subcommand: ferry audit verify");
	}

	/**
	 * Walks the hash chain and its witness: exit 0 when it holds, 5 when it is broken.
	 */
	@Command(name = "verify",
			description = "Checks the audit log's hash chain against its witness (ADMIN): exit 0 when it holds, 5 when not.")
	static final class Verify extends Base {

		@Override
		public Integer call() {
			JsonNode verdict = api().get("/api/v1/audit/verify");
			if (json()) {
				this.out.json(verdict);
			}
			String detail = Api.text(verdict.get("detail"));
			if (!verdict.path("ok").asBoolean()) {
				throw new CliException(Exit.FAILED,
						"The audit log's chain is broken"
								+ (verdict.path("firstBrokenSeq").isNumber()
										? " at entry " + verdict.path("firstBrokenSeq").asLong() : "")
								+ (detail == null ? "." : ": " + detail));
			}
			say("The audit log's chain holds: " + plural(verdict.path("checked").asLong(), "entry", "entries")
					+ " checked" + (detail == null ? "." : "; " + detail));
			return Exit.OK;
		}

	}

}
