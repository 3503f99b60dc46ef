package dev.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ferry decisions export|import}: a mapping phase's review in a spreadsheet.
 */
@Command(name = "decisions", description = "A mapping phase's decisions as CSV, for review in a spreadsheet.",
		subcommands = { DecisionsCommand.Export.class, DecisionsCommand.Import.class })
final class DecisionsCommand implements Runnable {

	static final String OLD_KEY = "old_key";

	static final String STATUS = "status";

	static final String NEW_KEY = "new_key";

	static final String REASON = "reason";

	static final String VERSION = "version";

	/** Statuses a line may decide; the others are what the dry run computed. */
	static final Set<String> DECIDED = Set.of("manual", "excluded");

	static final Set<String> COMPUTED = Set.of("auto", "ambiguous", "unresolved", "conflict");

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		throw new CommandLine.ParameterException(this.spec.commandLine(),
				"Missing subcommand: ferry decisions export|import PLAN PHASE FILE.csv");
	}

	static String mappingPath(String plan, String phase) {
		return "/api/v1/plans/" + Api.segment(plan) + "/phases/" + Api.segment(phase) + "/mapping";
	}

	/**
	 * Every item of the phase's latest dry run with its status and version, page by page.
	 */
	@Command(name = "export", description = {
			"Writes every item of the phase's latest mapping dry run as CSV (VIEWER): old_key, status,",
			"new_key, reason, version, then what helps decide (computed status, best score, candidates, the old record).",
			"Edit status (manual with new_key, or excluded with a reason) and import the file." })
	static final class Export extends Base {

		@Parameters(index = "0", paramLabel = "PLAN")
		String plan;

		@Parameters(index = "1", paramLabel = "PHASE")
		String phase;

		@Parameters(index = "2", paramLabel = "FILE.csv", description = "Where to write; - for standard output.")
		String file;

		@Override
		public Integer call() throws IOException {
			Api api = api();
			String path = mappingPath(this.plan, this.phase) + "?status=all&limit=500";
			OutputStream target = this.file.equals("-") ? this.out.out : Files.newOutputStream(Path.of(this.file));
			Writer writer = new OutputStreamWriter(target, StandardCharsets.UTF_8);
			CSVPrinter csv = null;
			List<String> fields = null;
			long items = 0;
			String after = null;
			try {
				do {
					JsonNode page = api.get(path + (after == null ? "" : "&after=" + Api.query(after)));
					for (JsonNode item : page.path("items")) {
						if (csv == null) {
							fields = new ArrayList<>(item.path("old").propertyNames());
							csv = printer(writer, fields, !this.file.equals("-"));
						}
						csv.printRecord(cells(item, fields).stream().map(SpreadsheetSafe::cell).toList());
						items++;
					}
					after = Api.text(page.get("next"));
				}
				while (after != null);
				if (csv == null) {
					csv = printer(writer, List.of(), !this.file.equals("-"));
				}
				csv.flush();
			}
			finally {
				if (!this.file.equals("-")) {
					writer.close();
				}
			}
			this.out.note("Wrote " + plural(items, "item", "items") + " of " + this.plan + " · " + this.phase
					+ (this.file.equals("-") ? "." : " to " + this.file + "."));
			return Exit.OK;
		}

		private static CSVPrinter printer(Writer writer, List<String> fields, boolean toFile) throws IOException {
			List<String> header = new ArrayList<>(
					List.of(OLD_KEY, STATUS, NEW_KEY, REASON, VERSION, "computed_status", "score", "candidates"));
			fields.forEach(field -> header.add("old." + field));
			// a file ends its records as RFC 4180 says, standard output with line feeds
			return new CSVPrinter(writer,
					CSVFormat.RFC4180.builder()
						.setHeader(header.toArray(String[]::new))
						.setRecordSeparator(toFile ? "\r\n" : "\n")
						.get());
		}

		private static List<String> cells(JsonNode item, List<String> fields) {
			List<String> cells = new ArrayList<>();
			cells.add(item.path("oldKey").asString());
			cells.add(item.path("status").asString());
			cells.add(Objects.toString(Api.text(item.get("newKey")), ""));
			cells.add(Objects.toString(Api.text(item.get("reason")), ""));
			cells.add(item.path("version").asString());
			cells.add(item.path("computedStatus").asString());
			cells.add(Objects.toString(Api.text(item.get("score")), ""));
			List<String> candidates = new ArrayList<>();
			for (JsonNode candidate : item.path("candidates")) {
				candidates.add(candidate.path("newKey").asString() + " (" + candidate.path("score").asString() + ")");
			}
			cells.add(String.join(" | ", candidates));
			for (String field : fields) {
				cells.add(Objects.toString(Api.text(item.path("old").get(field)), ""));
			}
			return cells;
		}

	}

	/**
	 * Applies each line that decides (manual or excluded) as a decision with its version;
	 * a line refused changes nothing and is reported with its reason.
	 */
	@Command(name = "import",
			description = {
					"Applies each line of the CSV whose status is manual (with new_key) or excluded (with a reason)",
					"as a decision on the version it names (REVIEWER). Lines with a computed status, or the decision",
					"that stands already, are left alone. Every refused line (stale version, unknown key, bad status)",
					"is reported and changes nothing; then the exit code is 4." })
	static final class Import extends Base {

		@Parameters(index = "0", paramLabel = "PLAN")
		String plan;

		@Parameters(index = "1", paramLabel = "PHASE")
		String phase;

		@Parameters(index = "2", paramLabel = "FILE.csv", description = "The CSV; - for standard input.")
		String file;

		@Override
		public Integer call() throws IOException {
			Api api = api();
			String base = mappingPath(this.plan, this.phase);
			long applied = 0;
			long unchanged = 0;
			long skipped = 0;
			List<String> refused = new ArrayList<>();
			ArrayNode report = Api.JSON.createArrayNode();
			InputStream in = this.file.equals("-") ? System.in : Files.newInputStream(Path.of(this.file));
			try (Reader reader = new InputStreamReader(BOMInputStream.builder().setInputStream(in).get(),
					StandardCharsets.UTF_8);
					CSVParser csv = CSVFormat.RFC4180.builder()
						.setHeader()
						.setSkipHeaderRecord(true)
						.setIgnoreSurroundingSpaces(true)
						.setIgnoreEmptyLines(true)
						.get()
						.parse(reader)) {
				Map<String, String> columns = columns(csv.getHeaderNames());
				for (CSVRecord record : csv) {
					long line = record.getRecordNumber() + 1;
					String oldKey = value(record, columns, OLD_KEY);
					String status = value(record, columns, STATUS).toLowerCase(Locale.ROOT);
					Line result = decide(api, base, oldKey, status, value(record, columns, NEW_KEY),
							value(record, columns, REASON), value(record, columns, VERSION));
					report.add(Api.JSON.createObjectNode()
						.put("line", line)
						.put("oldKey", oldKey)
						.put("outcome", result.outcome())
						.put("reason", result.reason()));
					switch (result.outcome()) {
						case "applied" -> applied++;
						case "unchanged" -> unchanged++;
						case "skipped" -> skipped++;
						default -> refused.add(this.file + ":" + line + ": old key " + oldKey + ": " + result.reason());
					}
				}
			}
			catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException ex) {
				throw new CliException(Exit.USAGE, this.file + ": not a CSV Ferry reads: " + ex.getMessage());
			}
			if (json()) {
				ObjectNode summary = Api.JSON.createObjectNode()
					.put("applied", applied)
					.put("unchanged", unchanged)
					.put("skipped", skipped)
					.put("refused", refused.size());
				summary.set("lines", report);
				this.out.json(summary);
			}
			String totals = plural(applied, "decision", "decisions") + " applied, " + unchanged + " unchanged, "
					+ skipped + " without a decision, " + refused.size() + " refused.";
			if (!refused.isEmpty()) {
				throw new CliException(Exit.REFUSED, totals + " Refused lines changed nothing:", refused);
			}
			say(totals);
			return Exit.OK;
		}

		private Line decide(Api api, String base, String oldKey, String status, String newKey, String reason,
				String version) {
			if (oldKey.isEmpty()) {
				return new Line("refused", "no old_key.");
			}
			if (COMPUTED.contains(status)) {
				return new Line("skipped", "status " + status + " is computed, not a decision.");
			}
			if (!DECIDED.contains(status)) {
				return new Line("refused", "bad status '" + status
						+ "': a line decides manual (with new_key) or excluded (with a reason), or keeps a computed status ("
						+ String.join(", ", COMPUTED.stream().sorted().toList()) + ").");
			}
			long expected;
			try {
				expected = Long.parseLong(version);
			}
			catch (NumberFormatException ex) {
				return new Line("refused", "version '" + version
						+ "' is not a number: it is the item's version you decided on (0 before any decision).");
			}
			String itemPath = base + "/" + Api.segment(oldKey);
			Api.Answer current = api.exchange("GET", itemPath, null, null);
			if (current.status() == 404) {
				return new Line("refused", "unknown key: the phase's latest dry run has no item " + oldKey + ".");
			}
			if (current.status() >= 300) {
				throw Api.failure("GET", itemPath, current);
			}
			JsonNode item = Api.json(current);
			if (Api.text(item.get("decidedBy")) != null && item.path("status").asString().equals(status)
					&& (status.equals("manual") ? newKey.equals(Objects.toString(Api.text(item.get("newKey")), ""))
							: reason.equals(Objects.toString(Api.text(item.get("reason")), "")))) {
				return new Line("unchanged", "the decision stands already.");
			}
			ObjectNode body = Api.JSON.createObjectNode().put("status", status).put("version", expected);
			if (!newKey.isEmpty()) {
				body.put("newKey", newKey);
			}
			if (!reason.isEmpty()) {
				body.put("reason", reason);
			}
			Api.Answer answer = api.exchange("POST", itemPath + "/decision", "application/json",
					Api.JSON.writeValueAsBytes(body));
			if (answer.status() == 200) {
				return new Line("applied", null);
			}
			CliException failure = Api.failure("POST", itemPath + "/decision", answer);
			if (failure.exitCode() == Exit.NOT_ALLOWED || failure.exitCode() == Exit.UNAVAILABLE) {
				throw failure;
			}
			String why = failure.getMessage()
					+ (failure.reasons().isEmpty() ? "" : " " + String.join(" ", failure.reasons()));
			return new Line("refused", switch (answer.status()) {
				case 409 -> "stale: " + why;
				case 404 -> "unknown key: " + why;
				default -> why;
			});
		}

		private Map<String, String> columns(List<String> header) {
			Map<String, String> columns = new HashMap<>();
			for (String name : header) {
				String normal = name.strip().toLowerCase(Locale.ROOT).replace("-", "_").replace(" ", "_");
				normal = switch (normal) {
					case "oldkey" -> OLD_KEY;
					case "newkey" -> NEW_KEY;
					default -> normal;
				};
				columns.putIfAbsent(normal, name);
			}
			for (String required : List.of(OLD_KEY, STATUS, VERSION)) {
				if (!columns.containsKey(required)) {
					throw new CliException(Exit.USAGE, this.file + " has no column " + required
							+ ": a decisions file has old_key, status, new_key, reason and version (as export writes them).");
				}
			}
			return columns;
		}

		private static String value(CSVRecord record, Map<String, String> columns, String column) {
			String name = columns.get(column);
			if (name == null || !record.isSet(name)) {
				return "";
			}
			String value = record.get(name);
			return value == null ? "" : SpreadsheetSafe.value(value.strip());
		}

		/** What became of one line. */
		record Line(String outcome, String reason) {
		}

	}

}
