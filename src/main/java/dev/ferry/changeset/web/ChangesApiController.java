package dev.ferry.changeset.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.ChangeSetStorage;
import dev.ferry.changeset.Rejection;
import dev.ferry.problem.InvalidException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A dry run's change set through the API: keyset pages of its rows, the summary, the CSV. */
@Tag(name = "Change sets", description = "What a dry run or apply would change, row by row")
@RestController
class ChangesApiController {

	static final int MAX_LIMIT = 500;

	private final ChangeSetService changeSets;

	ChangesApiController(ChangeSetService changeSets) {
		this.changeSets = changeSets;
	}

	@Operation(summary = "The run's change rows, keyset-paginated, filtered by op, table, key, rule and changed column (VIEWER)")
	@GetMapping("/api/v1/runs/{id}/changes")
	Page changes(@PathVariable long id, @RequestParam(required = false) String op,
			@RequestParam(required = false) String table, @RequestParam(required = false) String q,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String after,
			@RequestParam(required = false) String rule, @RequestParam(required = false) String column) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new InvalidException("limit", "changes.badLimit",
					"limit must be between 1 and " + MAX_LIMIT + ", not " + limit + ".", limit, MAX_LIMIT);
		}
		ChangeOp operation = ChangesController.operation(op);
		String ruleName = blankToNull(rule);
		if (ruleName != null && operation == null) {
			// the rows one rule rejected are rejected rows
			operation = ChangeOp.REJECTED;
		}
		ChangePage page = this.changeSets.changes(id,
				new ChangeFilter(operation, blankToNull(table), blankToNull(q), ruleName, blankToNull(column)), after,
				limit);
		return new Page(page.items().stream().map(Item::of).toList(), page.next());
	}

	@Operation(summary = "The run's summary: counts per table and op, rejected rows by rule (VIEWER)")
	@GetMapping(path = "/api/v1/runs/{id}/report", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> report(@PathVariable long id) {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(this.changeSets.summaryJson(id));
	}

	@Operation(summary = "Every change row as CSV (VIEWER)")
	@GetMapping("/api/v1/runs/{id}/report.csv")
	void csv(@PathVariable long id, HttpServletResponse response) throws IOException {
		this.changeSets.sealed(id);
		// refused before the answer has begun
		this.changeSets.storage(id).filter(ChangeSetStorage::purged).ifPresent(purged -> {
			throw purged.rowsPurged();
		});
		response.setContentType("text/csv");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		Writer out = response.getWriter();
		this.changeSets.writeCsv(id, out);
		out.flush();
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

	record Page(List<Item> items, String next) {
	}

	/**
	 * A change row in the API: {@code reason} is the reasons of a rejected row in one
	 * sentence (null otherwise), {@code reasons} the same with column, value and rule.
	 */
	record Item(long seq, String table, Map<String, Object> key, String op, Map<String, Object> before,
			Map<String, Object> after, List<String> changed, String reason, List<Rejection> reasons) {

		static Item of(Change change) {
			String reason = change.reasons().isEmpty() ? null
					: String.join("; ", change.reasons().stream().map(Rejection::message).toList());
			return new Item(change.seq(), change.table(), change.key(), change.op().code(), change.before(),
					change.after(), change.changed(), reason, change.reasons());
		}

	}

}
