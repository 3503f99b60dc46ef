package dev.ferry.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * {@code ferry changes RUN}: a run's change set, streamed page by page (never held
 * whole), or its summary.
 */
@Command(name = "changes", description = {
		"Streams a run's change set (VIEWER): CSV (the report's columns) or JSON (an array of the API's items).",
		"With --summary, the counts per op and the rejected rows by rule instead." })
final class ChangesCommand extends Base {

	enum Format {

		csv, json

	}

	private static final int PAGE = 500;

	@Parameters(index = "0", paramLabel = "RUN")
	long run;

	@Option(names = "--op", paramLabel = "OP",
			description = "Only insert, update, delete, rejected or kept rows (kept: rows delete-missing leaves).")
	String op;

	@Option(names = "--table", paramLabel = "TABLE", description = "Only the rows of this table.")
	String table;

	@Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
			description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
	Format format;

	@Option(names = "--summary", description = "The change set's summary instead of its rows.")
	boolean summary;

	@Option(names = "--crlf",
			description = "End CSV records with CRLF, as RFC 4180 and Ferry's report file do (default: a line feed).")
	boolean crlf;

	@Override
	public Integer call() throws IOException {
		Api api = api();
		String runPath = "/api/v1/runs/" + this.run;
		if (this.summary) {
			JsonNode report = api.get(runPath + "/report");
			if (json() || this.format == Format.json) {
				this.out.json(report);
				return Exit.OK;
			}
			summary(report);
			return Exit.OK;
		}
		if (this.format == Format.csv && this.op == null && this.table == null && !json()) {
			// the report's own CSV, copied as it streams
			try (InputStream csv = api.stream(runPath + "/report.csv")) {
				csv.transferTo(this.crlf ? this.out.out : new LineFeeds(this.out.out));
			}
			this.out.out.flush();
			return Exit.OK;
		}
		String filter = (this.op == null ? "" : "&op=" + Api.query(this.op))
				+ (this.table == null ? "" : "&table=" + Api.query(this.table));
		if (this.format == Format.json || json()) {
			// the generator is closed, standard output is not
			OutputStream open = new FilterOutputStream(this.out.out) {

				@Override
				public void write(byte[] bytes, int offset, int length) throws IOException {
					this.out.write(bytes, offset, length);
				}

				@Override
				public void close() throws IOException {
					flush();
				}

			};
			try (JsonGenerator json = Api.JSON.createGenerator(open)) {
				json.writeStartArray();
				pages(api, runPath, filter, item -> json.writeTree(item));
				json.writeEndArray();
			}
			this.out.out.println();
			return Exit.OK;
		}
		JsonNode report = api.get(runPath + "/report");
		List<String> keys = names(report.path("key"));
		List<String> columns = names(report.path("columns"));
		List<String> header = new ArrayList<>(List.of("seq", "table", "op"));
		keys.forEach(k -> header.add("key." + k));
		columns.forEach(c -> header.add("before." + c));
		columns.forEach(c -> header.add("after." + c));
		header.add("reasons");
		Writer writer = new OutputStreamWriter(this.out.out, StandardCharsets.UTF_8);
		// NULL is an empty cell, an empty text ""
		CSVPrinter csv = new CSVPrinter(writer,
				CSVFormat.RFC4180.builder()
					.setQuoteMode(QuoteMode.ALL_NON_NULL)
					.setNullString("")
					.setRecordSeparator(this.crlf ? "\r\n" : "\n")
					.setHeader(header.toArray(String[]::new))
					.get());
		pages(api, runPath, filter, item -> {
			List<String> cells = new ArrayList<>();
			cells.add(item.path("seq").asString());
			cells.add(item.path("table").asString());
			cells.add(item.path("op").asString());
			keys.forEach(k -> cells.add(cell(item.path("key").get(k))));
			columns.forEach(c -> cells.add(cell(item.path("before").get(c))));
			columns.forEach(c -> cells.add(cell(item.path("after").get(c))));
			cells.add(Api.text(item.get("reason")));
			try {
				csv.printRecord(cells.stream().map(SpreadsheetSafe::cell).toList());
			}
			catch (IOException ex) {
				throw new CliException(Exit.UNAVAILABLE, "Cannot write the CSV: " + ex.getMessage());
			}
		});
		csv.flush();
		return Exit.OK;
	}

	private void pages(Api api, String runPath, String filter, java.util.function.Consumer<JsonNode> each) {
		String after = null;
		do {
			JsonNode page = api
				.get(runPath + "/changes?limit=" + PAGE + filter + (after == null ? "" : "&after=" + Api.query(after)));
			page.path("items").forEach(each);
			after = Api.text(page.get("next"));
		}
		while (after != null);
	}

	private void summary(JsonNode report) {
		this.out.line("Run #" + report.path("runId").asLong() + " of " + report.path("plan").asString() + " · "
				+ report.path("phase").asString() + " (version " + report.path("planVersion").asInt() + "), table "
				+ report.path("table").asString() + " on " + report.path("connection").asString());
		JsonNode counts = report.path("counts");
		List<String> parts = new ArrayList<>();
		counts.properties()
			.forEach(count -> parts
				.add(String.format(Locale.ROOT, "%s %,d", count.getKey(), count.getValue().asLong())));
		this.out.line("  " + String.join(", ", parts));
		this.out.line(String.format(Locale.ROOT, "  target rows %,d now, %,d after the apply; %,d change rows",
				report.path("targetRows").asLong(), report.path("projectedTargetRows").asLong(),
				report.path("changeRows").asLong()));
		report.path("rejectedByRule")
			.properties()
			.forEach(rule -> this.out.line("  rejected by " + rule.getKey() + ": " + rule.getValue().asLong()));
		this.out.line("  sha256 " + report.path("changeSetSha256").asString());
	}

	/**
	 * A CSV's record separators as line feeds: a carriage return outside quotes is
	 * dropped, one inside a quoted value is the value's and stays. Streams; {@code ""}
	 * inside quotes toggles twice, so the state stays right.
	 */
	static final class LineFeeds extends FilterOutputStream {

		private boolean quoted;

		LineFeeds(OutputStream out) {
			super(out);
		}

		@Override
		public void write(int b) throws IOException {
			if (b == '"') {
				this.quoted = !this.quoted;
			}
			else if (b == '\r' && !this.quoted) {
				return;
			}
			this.out.write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			int start = offset;
			int end = offset + length;
			for (int i = offset; i < end; i++) {
				byte b = bytes[i];
				if (b == '"') {
					this.quoted = !this.quoted;
				}
				else if (b == '\r' && !this.quoted) {
					this.out.write(bytes, start, i - start);
					start = i + 1;
				}
			}
			this.out.write(bytes, start, end - start);
		}

		@Override
		public void close() throws IOException {
			flush();
		}

	}

	private static List<String> names(JsonNode list) {
		List<String> names = new ArrayList<>();
		for (JsonNode name : list) {
			names.add(name.isObject() ? name.path("name").asString() : name.asString());
		}
		return names;
	}

	private static String cell(JsonNode value) {
		return (value == null || value.isNull() || value.isMissingNode()) ? null
				: value.isValueNode() ? value.asString() : value.toString();
	}

}
