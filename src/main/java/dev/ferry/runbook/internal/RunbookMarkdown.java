package dev.ferry.runbook.internal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import dev.ferry.runbook.Runbook;

/**
 * The runbook as Markdown (CommonMark with GitHub's tables): the same sections, lines and
 * words as the page, in the same order.
 */
@org.springframework.stereotype.Component
class RunbookMarkdown {

	static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private final org.springframework.context.MessageSource messages;

	RunbookMarkdown(org.springframework.context.MessageSource messages) {
		this.messages = messages;
	}

	private String m(String code, Object... args) {
		return this.messages.getMessage(code, args, Locale.ENGLISH);
	}

	String write(Runbook book) {
		StringBuilder md = new StringBuilder();
		md.append("# ").append(text(m("runbook.title", book.title()))).append("\n\n");
		md.append(text(m("runbook.intro", book.plan(), String.valueOf(book.version()), book.sha256().substring(0, 12),
				book.source(), book.target(), TIME.format(book.generatedAt()))))
			.append("\n\n");
		if (book.description() != null && !book.description().isBlank()) {
			md.append(text(book.description())).append("\n\n");
		}
		md.append(text(m("runbook.approvals", book.approvals()))).append("\n\n");
		if (book.window() != null) {
			md.append(text(m("runbook.window", book.window()))).append("\n\n");
		}

		md.append("## ").append(m("runbook.downtime")).append("\n\n");
		row(md, m("runbook.col.number"), m("runbook.col.phase"), m("runbook.col.kind"), m("runbook.col.starts"),
				m("runbook.col.ends"), m("runbook.col.takes"), m("runbook.col.from"));
		md.append("|---|---|---|---|---|---|---|\n");
		for (Runbook.DowntimeRow row : book.downtime().rows()) {
			cells(md, String.valueOf(row.number()), row.phase(), row.kind(), row.starts(), row.ends(),
					row.estimate().text(), row.estimate().basis());
		}
		md.append("\n**").append(text(m("runbook.total", book.downtime().totalText()))).append("**\n\n");

		md.append("## ").append(m("runbook.phases")).append("\n\n");
		for (Runbook.Step step : book.steps()) {
			md.append("### ")
				.append(step.number())
				.append(". ")
				.append(text(step.phase()))
				.append(" (")
				.append(step.kind())
				.append(")\n\n");
			md.append(text(step.summary())).append("\n\n");
			md.append("- ").append(m("runbook.stateNow")).append(": ").append(text(step.state())).append("\n");
			for (Runbook.Fact fact : step.facts()) {
				md.append("- ").append(text(fact.label())).append(": ").append(text(fact.value())).append("\n");
			}
			md.append("- ")
				.append(m("runbook.takes"))
				.append(": ")
				.append(text(step.apply().text()))
				.append(" (")
				.append(text(step.apply().basis()))
				.append(")\n");
			md.append("- ")
				.append(m("runbook.rollbackTakes"))
				.append(": ")
				.append(text(step.rollback().text()))
				.append(" (")
				.append(text(step.rollback().basis()))
				.append(")\n\n");
			for (Runbook.Code code : step.code()) {
				String fence = fence(code.text());
				md.append(text(code.label()))
					.append(":\n\n")
					.append(fence)
					.append("sql\n")
					.append(code.text())
					.append("\n")
					.append(fence)
					.append("\n\n");
			}
			if (step.table() != null) {
				table(md, step.table());
			}
			if (!step.gates().isEmpty()) {
				md.append(m("runbook.gates")).append("\n\n");
				gates(md, step.gates());
			}
			if (step.approvalsNeeded() != null) {
				md.append(text(m("runbook.approvalsOf", step.approvalsNeeded())));
				if (step.approvalsGiven().isEmpty()) {
					md.append(" ").append(m("runbook.noApprovals")).append("\n\n");
				}
				else {
					md.append(" ").append(m("runbook.given")).append("\n\n");
					for (Runbook.Given given : step.approvalsGiven()) {
						md.append("- ")
							.append(text(m("runbook.givenBy", given.by(), given.as(), TIME.format(given.at()))));
						if (given.comment() != null && !given.comment().isBlank()) {
							md.append(": ").append(text(given.comment()));
						}
						if (given.spent() != null) {
							md.append(" (").append(text(given.spent())).append(")");
						}
						md.append("\n");
					}
					md.append("\n");
				}
			}
		}

		md.append("## ").append(m("runbook.rollbackPath")).append("\n\n");
		if (book.rollbackPath().isEmpty()) {
			md.append(m("runbook.noRollback")).append("\n\n");
		}
		else {
			md.append(m("runbook.newestFirst")).append("\n\n");
			for (Runbook.RollbackStep step : book.rollbackPath()) {
				md.append(step.order())
					.append(". ")
					.append(text(step.phase()))
					.append(" (")
					.append(step.kind())
					.append("): ")
					.append(text(step.estimate().text()))
					.append(" (")
					.append(text(step.estimate().basis()))
					.append("). ")
					.append(text(step.how()))
					.append("\n");
			}
			md.append("\n");
		}

		md.append("## ").append(m("runbook.verifyChecks")).append("\n\n");
		if (book.verifyChecks().isEmpty()) {
			md.append(m("runbook.noVerify")).append("\n\n");
		}
		else {
			row(md, m("runbook.verify.phase"), m("runbook.verify.onFail"), m("runbook.gate.id"),
					m("runbook.gate.check"), m("runbook.gate.threshold"), m("runbook.gate.value"),
					m("runbook.gate.state"));
			for (Runbook.VerifyCheck check : book.verifyChecks()) {
				Runbook.Gate gate = check.gate();
				cells(md, check.phase(), check.onFail(), gate.id(), gate.check(), gate.threshold(), gate.value(),
						gate.state());
			}
			md.append("\n");
		}

		md.append("## ").append(m("runbook.checklist")).append("\n\n");
		for (Runbook.ChecklistItem item : book.checklist()) {
			md.append("- [ ] ").append(text(item.label())).append("\n");
		}
		return md.toString();
	}

	/**
	 * A code fence longer than any run of backticks in the code (SQL may hold some in a
	 * string or a MySQL-style name), so the code cannot end its own block.
	 */
	static String fence(String code) {
		int longest = 0;
		int run = 0;
		for (int i = 0; i < code.length(); i++) {
			run = (code.charAt(i) == '`') ? run + 1 : 0;
			longest = Math.max(longest, run);
		}
		return "`".repeat(Math.max(3, longest + 1));
	}

	/** A table's header row and its rule. */
	private static void row(StringBuilder md, String... header) {
		cells(md, header);
		md.append("|").append("---|".repeat(header.length)).append("\n");
	}

	/** One line of a table: its cells escaped, a missing value empty. */
	private static void cells(StringBuilder md, String... cells) {
		md.append("|");
		for (String cell : cells) {
			md.append(" ").append(cell(cell)).append(" |");
		}
		md.append("\n");
	}

	private static void table(StringBuilder md, Runbook.Table table) {
		md.append(text(table.caption())).append(":\n\n");
		row(md, table.header().toArray(String[]::new));
		for (List<String> row : table.rows()) {
			cells(md, row.toArray(String[]::new));
		}
		md.append("\n");
	}

	private void gates(StringBuilder md, List<Runbook.Gate> gates) {
		row(md, m("runbook.gate.id"), m("runbook.gate.check"), m("runbook.gate.level"), m("runbook.gate.threshold"),
				m("runbook.gate.value"), m("runbook.gate.state"), m("runbook.gate.measuredOn"));
		for (Runbook.Gate gate : gates) {
			cells(md, gate.id(), gate.check(), gate.level(), gate.threshold(), gate.value(), gate.state(),
					gate.measuredOn());
		}
		md.append("\n");
	}

	/**
	 * Text in a paragraph or list item: the characters Markdown would read as markup are
	 * escaped.
	 */
	static String text(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder escaped = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ("\\`*[]<|".indexOf(c) >= 0) {
				escaped.append('\\');
			}
			escaped.append(c == '\n' ? ' ' : c);
		}
		return escaped.toString();
	}

	private static String cell(String text) {
		return text(text);
	}

}
