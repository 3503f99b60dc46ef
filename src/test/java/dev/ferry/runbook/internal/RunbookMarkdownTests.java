package dev.ferry.runbook.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plan text in the runbook's Markdown stays text: markup characters are escaped, and a
 * code block's fence is longer than any backticks in the SQL it holds.
 */
class RunbookMarkdownTests {

	@Test
	void planTextCannotBecomeMarkup() {
		assertThat(RunbookMarkdown.text("a | b * [link](x) <script> `code`"))
			.isEqualTo("a \\| b \\* \\[link\\](x) \\<script> \\`code\\`");
		assertThat(RunbookMarkdown.text("two\nlines")).isEqualTo("two lines");
		assertThat(RunbookMarkdown.text(null)).isEmpty();
	}

	@Test
	void aFenceOutlastsTheBackticksInItsCode() {
		assertThat(RunbookMarkdown.fence("SELECT 1")).isEqualTo("```");
		assertThat(RunbookMarkdown.fence("SELECT '```' AS x, `col`")).isEqualTo("````");
	}

}
