package dev.ferry.changeset.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.changeset.ChangeColumn;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangeProfile;
import dev.ferry.changeset.ChangeWindow;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.ChangeSetStorage;
import dev.ferry.problem.InvalidException;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The dry-run diff {@code /runs/{id}/changes}: the change set filtered by operation,
 * table and key, a keyset page at a time, and its downloads (CSV and JSON of every row,
 * the summary report).
 */
@Controller
class ChangesController {

	static final int PAGE_SIZE = 50;

	private final ChangeSetService changeSets;

	ChangesController(ChangeSetService changeSets) {
		this.changeSets = changeSets;
	}

	@GetMapping("/runs/{id}/changes")
	String page(@PathVariable long id, @RequestParam(required = false) String op,
			@RequestParam(required = false) String table, @RequestParam(required = false) String q,
			@RequestParam(required = false) String after, @RequestParam(required = false) String before,
			@RequestParam(defaultValue = "false") boolean last, @RequestParam(required = false) String rule,
			@RequestParam(required = false) String column, Model model) {
		fill(id, op, table, q, after, before, last, rule, column, model);
		return "changeset/changes";
	}

	/** The list alone, for the filters and the pager. */
	@GetMapping("/runs/{id}/changes")
	@HxRequest
	String list(@PathVariable long id, @RequestParam(required = false) String op,
			@RequestParam(required = false) String table, @RequestParam(required = false) String q,
			@RequestParam(required = false) String after, @RequestParam(required = false) String before,
			@RequestParam(defaultValue = "false") boolean last, @RequestParam(required = false) String rule,
			@RequestParam(required = false) String column, Model model) {
		boolean rows = fill(id, op, table, q, after, before, last, rule, column, model);
		return rows ? "changeset/changes :: list" : "changeset/changes :: purgedList";
	}

	@GetMapping("/runs/{id}/changes.csv")
	void csv(@PathVariable long id, HttpServletResponse response) throws IOException {
		rowsKept(id);
		download(id, response, "text/csv", "changes.csv", out -> this.changeSets.writeCsv(id, out));
	}

	@GetMapping("/runs/{id}/changes.json")
	void json(@PathVariable long id, HttpServletResponse response) throws IOException {
		rowsKept(id);
		download(id, response, "application/json", "changes.json", out -> this.changeSets.writeJson(id, out));
	}

	/** Refuses (409) a download of purged rows before the answer has begun. */
	private void rowsKept(long id) {
		this.changeSets.storage(id).filter(ChangeSetStorage::purged).ifPresent(purged -> {
			throw purged.rowsPurged();
		});
	}

	@GetMapping("/runs/{id}/report")
	void report(@PathVariable long id, HttpServletResponse response) throws IOException {
		String summary = this.changeSets.summaryJson(id);
		download(id, response, "application/json", "summary.json", out -> out.write(summary));
	}

	/**
	 * Streams a file of a finished change set as an attachment; refused (409) before
	 * anything is written while the dry run is still writing it.
	 */
	private void download(long id, HttpServletResponse response, String type, String name, Body body)
			throws IOException {
		ChangeSet changeSet = this.changeSets.sealed(id);
		response.setContentType(type);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
			.filename("ferry-" + changeSet.plan() + "-" + changeSet.phase() + "-run-" + changeSet.runId() + "-" + name,
					StandardCharsets.UTF_8)
			.build()
			.toString());
		Writer out = response.getWriter();
		body.writeTo(out);
		out.flush();
	}

	@FunctionalInterface
	interface Body {

		void writeTo(Writer out) throws IOException;

	}

	/**
	 * The page's model; without the rows (and false) when they were purged: the header,
	 * summary and profile remain, and the page says when and by whom.
	 */
	private boolean fill(long id, String op, String table, String q, String after, String before, boolean last,
			String rule, String column, Model model) {
		ChangeSet changeSet = this.changeSets.get(id);
		ChangeSetStorage storage = this.changeSets.storage(id).orElse(null);
		if (storage != null && storage.purged()) {
			model.addAttribute("changeSet", changeSet);
			model.addAttribute("purged", storage);
			model.addAttribute("profile", this.changeSets.profile(id).orElse(null));
			model.addAttribute("rejectedByRule", byCount(this.changeSets.rejectedByRule(id)));
			return false;
		}
		String ruleName = (rule == null || rule.isBlank()) ? null : rule.strip();
		// the rows one rule rejected are rejected rows
		ChangeOp operation = (ruleName != null) ? ChangeOp.REJECTED : operation(op);
		// the updates that change a column: the form keeps its column select while
		// another operation's tab is chosen, so there the column is left aside
		String columnName = (column == null || column.isBlank()
				|| (operation != null && operation != ChangeOp.UPDATE)) ? null : column.strip();
		if (columnName != null) {
			operation = ChangeOp.UPDATE;
		}
		String tableName = (table == null || table.isBlank()) ? null : table.strip();
		String search = (q == null || q.isBlank()) ? null : q.strip();
		ChangeWindow page = this.changeSets.window(id,
				new ChangeFilter(operation, tableName, search, ruleName, columnName), after, before, last, PAGE_SIZE);
		ChangeProfile profile = this.changeSets.profile(id).orElse(null);
		List<ChangeView> rows = page.items().stream().map(change -> ChangeView.of(changeSet, change)).toList();
		model.addAttribute("changeSet", changeSet);
		model.addAttribute("op", operation == null ? "" : operation.code());
		model.addAttribute("table", tableName == null ? "" : tableName);
		model.addAttribute("q", search == null ? "" : search);
		model.addAttribute("rule", ruleName == null ? "" : ruleName);
		model.addAttribute("column", columnName == null ? "" : columnName);
		model.addAttribute("after", (after == null || after.isBlank()) ? null : after.strip());
		model.addAttribute("page", page);
		model.addAttribute("rows", rows);
		model.addAttribute("grid", operation == ChangeOp.INSERT || operation == ChangeOp.KEPT);
		model.addAttribute("segments", ChangeView.Segment.of(rows));
		model.addAttribute("ops", List.of(ChangeOp.values()));
		model.addAttribute("tables", List.of(changeSet.table()));
		model.addAttribute("changedColumns", changedColumns(changeSet, profile));
		model.addAttribute("rejectedByRule", byCount(this.changeSets.rejectedByRule(id)));
		model.addAttribute("profile", profile);
		return true;
	}

	/**
	 * The columns the column filter offers: those the updates change, as the profile
	 * counted them; every column before the change set is sealed; none without updates.
	 */
	private static List<String> changedColumns(ChangeSet changeSet, ChangeProfile profile) {
		if (profile != null) {
			return profile.updated().stream().map(ChangeProfile.Updated::column).sorted().toList();
		}
		if (changeSet.sealed() && changeSet.totals().updated() == 0) {
			return List.of();
		}
		return changeSet.columns().stream().map(ChangeColumn::name).toList();
	}

	static ChangeOp operation(String op) {
		if (op == null || op.isBlank()) {
			return null;
		}
		return ChangeOp.of(op.strip())
			.orElseThrow(() -> new InvalidException("op", "changes.badOp",
					"'" + op + "' is not an operation: use insert, update, delete, rejected or kept.", op));
	}

	/** The rules that rejected rows, the one that rejected most first. */
	private static Map<String, Long> byCount(Map<String, Long> counts) {
		Map<String, Long> sorted = new LinkedHashMap<>();
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
				.thenComparing(Map.Entry.comparingByKey()))
			.forEach(e -> sorted.put(e.getKey(), e.getValue()));
		return sorted;
	}



}
