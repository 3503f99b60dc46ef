package dev.ferry.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parts of the command-line client that need no Ferry: exit codes of answers, the
 * command line, durations, CSV cells and line ends. {@code FerryCliIT} runs the built jar
 * against a real Ferry.
 */
class CliPartsTests {

	@Test
	void eachStatusBecomesItsExitCodeWithFerrysWords() {
		CliException refused = Api.failure("POST", "/api/v1/plans/p/phases/x/runs", answer(409,
				"{\"error\": \"Apply of phase x is locked: Gate coverage fails.\", \"reasons\": [\"Gate coverage fails.\", \"Dry run #3 needs 1 operator approval(s).\"]}"));
		assertThat(refused.exitCode()).isEqualTo(Exit.REFUSED);
		assertThat(refused.getMessage()).isEqualTo("Apply of phase x is locked: Gate coverage fails.");
		// a reason the error already says is not repeated
		assertThat(refused.reasons()).containsExactly("Dry run #3 needs 1 operator approval(s).");
		assertThat(Api.failure("GET", "/x", answer(401, "{\"error\": \"The API token ci was revoked.\"}")))
			.satisfies(e -> assertThat(e.exitCode()).isEqualTo(Exit.NOT_ALLOWED))
			.hasMessage("The API token ci was revoked.");
		assertThat(Api.failure("GET", "/x", answer(403, "")).exitCode()).isEqualTo(Exit.NOT_ALLOWED);
		assertThat(Api.failure("GET", "/x", answer(429, "")).exitCode()).isEqualTo(Exit.NOT_ALLOWED);
		assertThat(Api.failure("GET", "/x", answer(404, "{\"error\": \"Plan p is not known.\"}")).exitCode())
			.isEqualTo(Exit.USAGE);
		CliException invalid = Api.failure("PUT", "/api/v1/plans/p", answer(422,
				"{\"error\": \"The plan is not valid.\", \"errors\": [{\"line\": 6, \"column\": 11, \"message\": \"Unknown phase kind 'imprt'\"}]}"));
		assertThat(invalid.exitCode()).isEqualTo(Exit.USAGE);
		assertThat(invalid.reasons()).containsExactly("6:11: Unknown phase kind 'imprt'");
		assertThat(Api.failure("GET", "/x", answer(500, "<html>oops</html>")))
			.satisfies(e -> assertThat(e.exitCode()).isEqualTo(Exit.UNAVAILABLE))
			.hasMessage("Ferry answered 500 to GET /x.");
	}

	@Test
	void usageMistakesExitTwoBeforeAnyRequest() {
		Printed help = ferry("--help");
		assertThat(help.exit()).isZero();
		assertThat(help.out()).contains("Exit codes:").contains("6  --fail-on tripped");
		Printed noMode = ferry("run", "plan", "phase");
		assertThat(noMode.exit()).isEqualTo(Exit.USAGE);
		assertThat(noMode.err()).contains("Missing required argument").contains("--dry-run | --apply");
		Printed both = ferry("run", "plan", "phase", "--dry-run", "--apply");
		assertThat(both.exit()).isEqualTo(Exit.USAGE);
		Printed applyFailOn = ferry("run", "p", "x", "--apply", "--fail-on", "gates", "--url", "http://localhost:1",
				"--token", "t");
		assertThat(applyFailOn.exit()).isEqualTo(Exit.USAGE);
		assertThat(applyFailOn.err()).contains("--fail-on judges a dry run");
		Printed badDuration = ferry("run", "p", "x", "--dry-run", "--timeout", "soon");
		assertThat(badDuration.exit()).isEqualTo(Exit.USAGE);
		assertThat(badDuration.err()).contains("'soon' is not a duration");
		Printed noUrl = ferry("status", "p", "--url", "", "--token", "t");
		assertThat(noUrl.exit()).isEqualTo(Exit.USAGE);
		assertThat(noUrl.err()).contains("Set FERRY_URL or pass --url");
		Printed noToken = ferry("status", "p", "--url", "http://localhost:1", "--token", " ");
		assertThat(noToken.exit()).isEqualTo(Exit.NOT_ALLOWED);
		Printed unreachable = ferry("status", "p", "--url", "http://localhost:1", "--token", "t");
		assertThat(unreachable.exit()).isEqualTo(Exit.UNAVAILABLE);
		assertThat(unreachable.err()).startsWith("ferry: Ferry could not be reached at http://localhost:1");
	}

	@Test
	void durationsAreWrittenAsPeopleWriteThem() {
		Durations durations = new Durations();
		assertThat(durations.convert("90s")).isEqualTo(Duration.ofSeconds(90));
		assertThat(durations.convert("30m")).isEqualTo(Duration.ofMinutes(30));
		assertThat(durations.convert("2h")).isEqualTo(Duration.ofHours(2));
		assertThat(durations.convert("1d")).isEqualTo(Duration.ofDays(1));
		assertThat(durations.convert("200ms")).isEqualTo(Duration.ofMillis(200));
		assertThat(durations.convert("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
		assertThatThrownBy(() -> durations.convert("0s")).isInstanceOf(TypeConversionException.class);
		assertThatThrownBy(() -> durations.convert("-PT1S")).isInstanceOf(TypeConversionException.class);
		assertThat(Durations.words(Duration.ofSeconds(3725))).isEqualTo("1 h 02 min");
		assertThat(Durations.words(Duration.ofSeconds(187))).isEqualTo("3 min 07 s");
	}

	@Test
	void cellsAreSafeInASpreadsheetAndReadBackAsTheyWere() {
		for (String value : new String[] { "=HYPERLINK(\"http://x\")", "+cmd", "-x", "@SUM(A1)", "\tx" }) {
			assertThat(SpreadsheetSafe.cell(value)).isEqualTo("'" + value);
			assertThat(SpreadsheetSafe.value(SpreadsheetSafe.cell(value))).isEqualTo(value);
		}
		for (String value : new String[] { "-5", "+1.5e3", "Ann Lee", "", "'quoted" }) {
			assertThat(SpreadsheetSafe.cell(value)).isEqualTo(value);
			assertThat(SpreadsheetSafe.value(value)).isEqualTo(value);
		}
		assertThat(SpreadsheetSafe.cell(null)).isNull();
	}

	@Test
	void csvRecordsEndWithALineFeedAndALineBreakInAValueStays() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ChangesCommand.LineFeeds out = new ChangesCommand.LineFeeds(bytes)) {
			byte[] csv = "seq,label\r\n1,\"two\r\nlines, \"\"quoted\"\"\"\r\n2,plain\r\n"
				.getBytes(StandardCharsets.UTF_8);
			// in two writes that split the quoted value
			out.write(csv, 0, 17);
			out.write(csv, 17, csv.length - 17);
		}
		assertThat(bytes.toString(StandardCharsets.UTF_8))
			.isEqualTo("seq,label\n1,\"two\r\nlines, \"\"quoted\"\"\"\n2,plain\n");
	}

	static Api.Answer answer(int status, String body) {
		return new Api.Answer(status, body.getBytes(StandardCharsets.UTF_8));
	}

	static Printed ferry(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = Ferry.run(new Out(new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), false), args);
		return new Printed(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	record Printed(int exit, String out, String err) {
	}

}
