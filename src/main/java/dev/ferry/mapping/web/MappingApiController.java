package dev.ferry.mapping.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingPage;
import dev.ferry.mapping.MappingRun;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Suggestion;
import dev.ferry.mapping.Queue;
import dev.ferry.mapping.QueueFacets;
import dev.ferry.mapping.QueueFilter;
import dev.ferry.problem.InvalidException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A mapping phase's items and decisions through the API ({@code api.md}): keyset pages of
 * the latest dry run's items by queue, a decision with the item's version (409 when
 * someone decided first), undo, and a search of the new side for unresolved items.
 */
@Tag(name = "Mapping", description = "Mapping items, candidates and review decisions")
@RestController
class MappingApiController {

	private final MappingService mappings;

	MappingApiController(MappingService mappings) {
		this.mappings = mappings;
	}

	@Operation(
			summary = "Items of the latest mapping dry run by queue, keyset-paginated, with candidates and scores; q searches the old record; band, candidates, differs and prefix filter by facet; sort is run, score-asc or score-desc (VIEWER)")
	@GetMapping("/api/v1/plans/{plan}/phases/{phase}/mapping")
	Page items(@PathVariable String plan, @PathVariable String phase, @RequestParam(required = false) String status,
			@RequestParam(required = false) String q, @RequestParam(required = false) String band,
			@RequestParam(required = false) String candidates, @RequestParam(required = false) String differs,
			@RequestParam(required = false) String prefix, @RequestParam(required = false) String sort,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String after) {
		Queue queue = queue(status);
		QueueFilter filter = QueueFilter.parse(q, band, candidates, differs, prefix, sort);
		MappingPage page = this.mappings.filteredItems(plan, phase, queue, filter, after, limit);
		Fields fields = new Fields(this.mappings);
		return new Page(page.items().stream().map(item -> Item.of(item, fields.of(item.runId()))).toList(),
				page.next());
	}

	@Operation(
			summary = "Facet counts of an open queue (ambiguous, unresolved, conflict) within q and the other facets (VIEWER)")
	@GetMapping("/api/v1/plans/{plan}/phases/{phase}/mapping/facets")
	QueueFacets facets(@PathVariable String plan, @PathVariable String phase,
			@RequestParam(defaultValue = "ambiguous") String status, @RequestParam(required = false) String q,
			@RequestParam(required = false) String band, @RequestParam(required = false) String candidates,
			@RequestParam(required = false) String differs, @RequestParam(required = false) String prefix) {
		Queue queue = queue(status);
		if (queue.computed() == null || !queue.computed().open()) {
			throw new InvalidException("status", "mapping.facet.queue",
					"Facets count the open queues: ambiguous, unresolved or conflict, not " + status + ".", status);
		}
		return this.mappings.facets(plan, phase, queue, QueueFilter.parse(q, band, candidates, differs, prefix, null));
	}

	@Operation(
			summary = "The phase's items by current status and its coverage, as the dashboard shows them; 404 before its first dry run (VIEWER)")
	@GetMapping("/api/v1/plans/{plan}/phases/{phase}/mapping/coverage")
	CoverageJson coverage(@PathVariable String plan, @PathVariable String phase) {
		Coverage coverage = this.mappings.coverage(plan, phase)
			.orElseThrow(() -> new dev.ferry.problem.NotFoundException("mapping.coverage.none",
					"Phase " + phase + " of plan " + plan + " has no finished mapping dry run yet.", phase, plan));
		return new CoverageJson(coverage.runId(), coverage.all(), coverage.auto(), coverage.manual(),
				coverage.excluded(), coverage.ambiguous(), coverage.unresolved(), coverage.conflict(), coverage.open(),
				coverage.coverage());
	}

	/**
	 * The items of a mapping phase's latest dry run by current status (decisions
	 * applied); {@code coverage} is (auto + manual) / (all − excluded), 0..1.
	 */
	record CoverageJson(long runId, long all, long auto, long manual, long excluded, long ambiguous, long unresolved,
			long conflict, long open, double coverage) {
	}

	@Operation(summary = "One item with its candidates (or, unresolved, its suggestions) and decision (VIEWER)")
	@GetMapping("/api/v1/plans/{plan}/phases/{phase}/mapping/{oldKey}")
	Item item(@PathVariable String plan, @PathVariable String phase, @PathVariable String oldKey) {
		MappingItem item = this.mappings.item(plan, phase, oldKey);
		return Item.of(item, this.mappings.run(item.runId()));
	}

	@Operation(
			summary = "Decide an item: manual with newKey, or excluded with a reason (REVIEWER); 409 when version is stale")
	@PostMapping("/api/v1/plans/{plan}/phases/{phase}/mapping/{oldKey}/decision")
	Item decide(@PathVariable String plan, @PathVariable String phase, @PathVariable String oldKey,
			@RequestBody DecisionBody body) {
		MatchStatus status = MatchStatus.of(body.status() == null ? "" : body.status())
			.filter(MatchStatus::decided)
			.orElseThrow(() -> new InvalidException("status", "mapping.decision.status",
					"status is manual (a new record picked) or excluded (no match), not " + body.status() + ".",
					String.valueOf(body.status())));
		if (body.version() == null) {
			throw new InvalidException("version", "mapping.decision.version",
					"version is the item's version you decided on (0 before any decision), so that nobody's "
							+ "decision is overwritten unseen.");
		}
		MappingItem item = this.mappings.decide(plan, phase, oldKey,
				new DecisionCommand(status, body.newKey(), body.reason(), body.version()));
		return Item.of(item, this.mappings.run(item.runId()));
	}

	@Operation(summary = "Undo the item's decision, back to its computed status (REVIEWER)")
	@DeleteMapping("/api/v1/plans/{plan}/phases/{phase}/mapping/{oldKey}/decision")
	Item undo(@PathVariable String plan, @PathVariable String phase, @PathVariable String oldKey,
			@RequestParam(required = false) Long version) {
		long current = (version != null) ? version : this.mappings.item(plan, phase, oldKey).version();
		MappingItem item = this.mappings.undo(plan, phase, oldKey, current);
		return Item.of(item, this.mappings.run(item.runId()));
	}

	@Operation(summary = "New-side records matching q, for unresolved items (REVIEWER)")
	@GetMapping("/api/v1/plans/{plan}/phases/{phase}/mapping/search")
	List<Found> search(@PathVariable String plan, @PathVariable String phase, @RequestParam String q,
			@RequestParam(required = false) String oldKey, @RequestParam(defaultValue = "20") int limit) {
		List<Candidate> found = this.mappings.search(plan, phase, q, oldKey, limit);
		MappingRun run = this.mappings.latestRun(plan, phase).map(this.mappings::run).orElse(null);
		boolean scored = oldKey != null && !oldKey.isBlank();
		return found.stream().map(candidate -> {
			CandidateJson json = CandidateJson.of(candidate, run);
			return new Found(json.newKey(), scored ? json.score() : null, scored ? json.breakdown() : null,
					json.record());
		}).toList();
	}

	static Queue queue(String status) {
		if (status == null || status.isBlank()) {
			return Queue.ALL;
		}
		return Queue.of(status)
			.orElseThrow(() -> new InvalidException("status", "mapping.badQueue",
					"status is one of ambiguous, unresolved, conflict, decided, auto or all, not " + status + ".",
					status));
	}

	/** The fields of each dry run met on a page (one, normally). */
	private static final class Fields {

		private final MappingService mappings;

		private final Map<Long, MappingRun> runs = new LinkedHashMap<>();

		Fields(MappingService mappings) {
			this.mappings = mappings;
		}

		MappingRun of(long runId) {
			return this.runs.computeIfAbsent(runId, this.mappings::run);
		}

	}

	record DecisionBody(String newKey, String status, String reason, Long version) {
	}

	record Page(List<Item> items, String next) {
	}

	record Item(String oldKey, Map<String, String> old, String status, String computedStatus, Double score,
			String newKey, int candidateCount, List<CandidateJson> candidates, String decidedBy, Instant decidedAt,
			String reason, boolean stale, long version, List<SuggestionJson> suggestions) {

		static Item of(MappingItem item, MappingRun run) {
			Map<String, String> old = named(run.oldFields(), item.old());
			var decision = item.decision();
			var standing = item.standing();
			return new Item(item.oldKey(), old, item.status().code(), item.computed().code(), item.bestScore(),
					item.newKey(), item.candidateCount(),
					item.candidates().stream().map(candidate -> CandidateJson.of(candidate, run)).toList(),
					standing != null ? standing.decidedBy() : null, standing != null ? standing.decidedAt() : null,
					standing != null ? standing.reason() : null, decision != null && decision.stale(), item.version(),
					item.suggestions().stream().map(suggestion -> SuggestionJson.of(suggestion, run)).toList());
		}

	}

	record CandidateJson(String newKey, Double score, Map<String, Double> breakdown, Map<String, String> record) {

		static CandidateJson of(Candidate candidate, MappingRun run) {
			Map<String, Double> breakdown = new LinkedHashMap<>();
			for (int i = 0; i < candidate.breakdown().size(); i++) {
				String name = (run != null && i + 1 < run.oldFields().size()) ? run.oldFields().get(i + 1)
						: "tie-breaker " + (i + 1);
				breakdown.put(name, candidate.breakdown().get(i));
			}
			return new CandidateJson(candidate.newKey(), candidate.score(), breakdown,
					named(run == null ? List.of() : run.newFields(), candidate.record()));
		}

	}

	/** A suggestion: a candidate's fields and the similarity of the block values. */
	record SuggestionJson(String newKey, double similarity, Double score, Map<String, Double> breakdown,
			Map<String, String> record) {

		static SuggestionJson of(Suggestion suggestion, MappingRun run) {
			CandidateJson candidate = CandidateJson.of(suggestion.asCandidate(), run);
			return new SuggestionJson(suggestion.newKey(), suggestion.similarity(), candidate.score(),
					candidate.breakdown(), candidate.record());
		}

	}

	record Found(String newKey, Double score, Map<String, Double> breakdown, Map<String, String> record) {
	}

	static Map<String, String> named(List<String> names, List<String> values) {
		Map<String, String> named = new LinkedHashMap<>();
		for (int i = 0; i < values.size(); i++) {
			named.put(i < names.size() ? names.get(i) : "field " + (i + 1), values.get(i));
		}
		return named;
	}

}
