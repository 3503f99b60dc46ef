package dev.ferry.mapping.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.problem.FlashMessages;
import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingPage;
import dev.ferry.mapping.MappingRun;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Suggestion;
import dev.ferry.mapping.Queue;
import dev.ferry.mapping.QueueFilter;
import dev.ferry.plan.spec.Normalization;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.NotFoundException;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.CurrentUser;
import dev.ferry.security.Role;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * The review queue of a mapping phase ({@code ui.md}): status tabs with their counts, a
 * search, keyset pages; the review form with the old record beside its candidates, the
 * agreeing and differing fields marked, each score's breakdown; pick, no match with a
 * reason, a search of the new table, save and next, undo.
 */
@Controller
class QueueController {

	static final int PAGE_SIZE = 50;

	/**
	 * Search results listed under the candidates: the number keys reach the first nine.
	 */
	static final int SEARCH_LIMIT = 20;

	private final MappingService mappings;

	QueueController(MappingService mappings) {
		this.mappings = mappings;
	}

	@GetMapping("/plans/{plan}/phases/{phase}/queue")
	String queue(@PathVariable String plan, @PathVariable String phase,
			@RequestParam(defaultValue = "ambiguous") String status, @RequestParam(required = false) String q,
			@RequestParam(required = false) String band, @RequestParam(required = false) String candidates,
			@RequestParam(required = false) String differs, @RequestParam(required = false) String prefix,
			@RequestParam(required = false) String sort, @RequestParam(required = false) String after,
			@RequestParam(required = false) Double bulkScore, Model model) {
		QueueFilter filter = QueueFilter.parse(q, band, candidates, differs, prefix, sort);
		fillQueue(plan, phase, status, filter, after, model);
		Queue queue = tab(status);
		boolean canBulk = queue.computed() != null && queue.computed().open()
				&& CurrentUser.get().map(user -> user.has(Role.REVIEWER)).orElse(false);
		model.addAttribute("canBulk", canBulk);
		model.addAttribute("bulkScore", bulkScore == null ? 0.9 : bulkScore);
		if (canBulk && bulkScore != null) {
			model.addAttribute("preview", this.mappings.bulkPreview(plan, phase, queue, bulkScore, bulkFilter(filter)));
		}
		return "mapping/queue";
	}

	/**
	 * What a bulk accept from the page works within: the facets chosen (the search box
	 * changes the list in place, so the page's forms do not carry it).
	 */
	private static QueueFilter bulkFilter(QueueFilter filter) {
		return new QueueFilter(null, filter.band(), filter.candidates(), filter.differs(), filter.prefix(), null);
	}

	@GetMapping("/plans/{plan}/phases/{phase}/mapping.csv")
	void csv(@PathVariable String plan, @PathVariable String phase, jakarta.servlet.http.HttpServletResponse response)
			throws java.io.IOException {
		this.mappings.latestRun(plan, phase)
			.orElseThrow(() -> new NotFoundException("mapping.noDryRun",
					"Phase " + phase + " of plan " + plan + " has no finished dry run yet.", phase, plan));
		response.setContentType("text/csv");
		response.setCharacterEncoding(java.nio.charset.StandardCharsets.UTF_8.name());
		response.setHeader("Content-Disposition", "attachment; filename=\"" + plan + "-" + phase + "-mapping.csv\"");
		this.mappings.writeCsv(plan, phase, response.getWriter());
	}

	@PostMapping("/plans/{plan}/phases/{phase}/queue/bulk-accept")
	String bulkAccept(@PathVariable String plan, @PathVariable String phase, @RequestParam String status,
			@RequestParam(required = false) String band, @RequestParam(required = false) String candidates,
			@RequestParam(required = false) String differs, @RequestParam(required = false) String prefix,
			@RequestParam(required = false) String sort, @RequestParam double bulkScore, @RequestParam long expected,
			RedirectAttributes redirect) {
		Queue queue = tab(status);
		QueueFilter filter = QueueFilter.parse(null, band, candidates, differs, prefix, sort);
		String back = "redirect:"
				+ new QueueLinks("/plans/" + plan + "/phases/" + phase + "/queue", queue.code(), filter).current();
		try {
			long accepted = this.mappings.bulkAccept(plan, phase, queue, bulkScore, bulkFilter(filter), expected);
			FlashMessages.success(redirect, "mapping.flash.bulk", accepted, bulkScore);
		}
		catch (RefusedException ex) {
			FlashMessages.error(redirect, ex);
		}
		return back;
	}

	@GetMapping("/plans/{plan}/phases/{phase}/queue")
	@HxRequest
	String list(@PathVariable String plan, @PathVariable String phase,
			@RequestParam(defaultValue = "ambiguous") String status, @RequestParam(required = false) String q,
			@RequestParam(required = false) String band, @RequestParam(required = false) String candidates,
			@RequestParam(required = false) String differs, @RequestParam(required = false) String prefix,
			@RequestParam(required = false) String sort, @RequestParam(required = false) String after, Model model) {
		fillQueue(plan, phase, status, QueueFilter.parse(q, band, candidates, differs, prefix, sort), after, model);
		return "mapping/queue :: list";
	}

	private void fillQueue(String plan, String phase, String status, QueueFilter filter, String after, Model model) {
		Queue queue = tab(status);
		String q = filter.q();
		Coverage coverage = this.mappings.coverage(plan, phase)
			.orElseThrow(() -> new NotFoundException("mapping.noDryRun",
					"Phase " + phase + " of plan " + plan + " has no finished dry run yet.", phase, plan));
		MappingPage page = this.mappings.filteredItems(plan, phase, queue, filter, blankToNull(after), PAGE_SIZE);
		MappingRun run = this.mappings.run(coverage.runId());
		model.addAttribute("plan", plan);
		model.addAttribute("phase", phase);
		model.addAttribute("queue", queue);
		model.addAttribute("status", queue.code());
		model.addAttribute("q", q == null ? "" : q);
		model.addAttribute("after", blankToNull(after));
		model.addAttribute("page", page);
		model.addAttribute("run", run);
		model.addAttribute("coverage", coverage);
		model.addAttribute("tabs", List.of(Queue.AMBIGUOUS, Queue.UNRESOLVED, Queue.CONFLICT, Queue.DECIDED));
		model.addAttribute("canBulk", false);
		model.addAttribute("canReview", CurrentUser.get().map(user -> user.has(Role.REVIEWER)).orElse(false));
		model.addAttribute("claims", this.mappings.claims(plan, phase));
		model.addAttribute("filter", filter);
		model.addAttribute("facets", this.mappings.facets(plan, phase, queue, filter));
		model.addAttribute("links",
				new QueueLinks("/plans/" + plan + "/phases/" + phase + "/queue", queue.code(), filter));
	}

	@GetMapping("/plans/{plan}/phases/{phase}/queue/item")
	String form(@PathVariable String plan, @PathVariable String phase, @RequestParam String key,
			@RequestParam(defaultValue = "ambiguous") String status, @RequestParam(required = false) String search,
			Model model) {
		fillForm(plan, phase, key, tab(status), search, model);
		claim(plan, phase, (MappingItem) model.getAttribute("item"), model);
		return "mapping/review";
	}

	/** The search of the new table alone, for htmx. */
	@GetMapping("/plans/{plan}/phases/{phase}/queue/item")
	@HxRequest
	String searchResults(@PathVariable String plan, @PathVariable String phase, @RequestParam String key,
			@RequestParam(defaultValue = "ambiguous") String status, @RequestParam(required = false) String search,
			Model model) {
		fillForm(plan, phase, key, tab(status), search, model);
		return "mapping/review :: found";
	}

	/**
	 * "Start reviewing": the first open item of the tab that no other reviewer holds,
	 * claimed for this one.
	 */
	@GetMapping("/plans/{plan}/phases/{phase}/queue/next")
	String start(@PathVariable String plan, @PathVariable String phase,
			@RequestParam(defaultValue = "ambiguous") String status, RedirectAttributes redirect) {
		Queue queue = tab(status);
		Optional<MappingItem> next = this.mappings.claimNext(plan, phase, queue, 0);
		if (next.isPresent()) {
			return "redirect:" + formPath(plan, phase, next.get().oldKey(), queue);
		}
		FlashMessages.success(redirect, "mapping.flash.nothingFree", queue.code());
		return "redirect:" + queuePath(plan, phase, queue);
	}

	private void fillForm(String plan, String phase, String key, Queue queue, String search, Model model) {
		MappingItem item = this.mappings.item(plan, phase, key);
		MappingRun run = this.mappings.run(item.runId());
		List<Candidate> found = List.of();
		boolean canDecide = CurrentUser.get().map(user -> user.has(Role.REVIEWER)).orElse(false);
		if (search != null && !search.isBlank() && canDecide) {
			found = this.mappings.search(plan, phase, search, key, SEARCH_LIMIT);
		}
		model.addAttribute("plan", plan);
		model.addAttribute("phase", phase);
		model.addAttribute("queue", queue);
		model.addAttribute("status", queue.code());
		model.addAttribute("item", item);
		model.addAttribute("run", run);
		List<String> weights = new ArrayList<>();
		for (int i = 0; i < run.weights().size() && i + 1 < run.oldFields().size(); i++) {
			weights.add(run.oldFields().get(i + 1) + " × " + run.weights().get(i));
		}
		model.addAttribute("weights",
				weights.isEmpty() ? "none, so every candidate scores 1" : String.join(", ", weights));
		List<CandidateCard> candidates = cards(item.candidates(), item, run, true);
		model.addAttribute("candidates", candidates);
		List<CandidateCard> suggestions = new ArrayList<>();
		for (Suggestion suggestion : item.suggestions()) {
			suggestions.add(cards(List.of(suggestion.asCandidate()), item, run, false).get(0)
				.withSimilarity(suggestion.similarity()));
		}
		model.addAttribute("suggestions", suggestions);
		// one numbered list: the candidates (or, when there are none, the suggestions),
		// then the search's results
		int listed = candidates.isEmpty() ? suggestions.size() : candidates.size();
		model.addAttribute("listed", listed);
		model.addAttribute("found", cards(found, item, run, false));
		model.addAttribute("search", search == null ? "" : search);
		model.addAttribute("canDecide", canDecide);
		model.addAttribute("history", this.mappings.history(plan, phase, key));
		model.addAttribute("coverage", this.mappings.coverage(plan, phase).orElse(null));
		model.addAttribute("formPath", formPath(plan, phase, key, queue));
	}

	/** A reviewer who opens an open item holds it for a few minutes. */
	private void claim(String plan, String phase, MappingItem item, Model model) {
		boolean canDecide = Boolean.TRUE.equals(model.getAttribute("canDecide"));
		if (canDecide && item.status().open()) {
			model.addAttribute("claim", this.mappings.claim(plan, phase, item.oldKey()));
		}
	}

	@PostMapping("/plans/{plan}/phases/{phase}/queue/item")
	String decide(@PathVariable String plan, @PathVariable String phase, @RequestParam String key,
			@RequestParam(defaultValue = "ambiguous") String status, @RequestParam String action,
			@RequestParam(required = false) String newKey, @RequestParam(required = false) String reason,
			@RequestParam long version, Model model, RedirectAttributes redirect) {
		Queue queue = tab(status);
		Outcome outcome = decideAndNext(plan, phase, key, queue, action, newKey, reason, version, model);
		if (outcome.refused()) {
			return "mapping/review";
		}
		redirect.addFlashAttribute("lastDecision", outcome.last());
		if (outcome.emptied()) {
			FlashMessages.success(redirect, "mapping.flash.queueEmpty", queue.code());
			return "redirect:" + queuePath(plan, phase, queue);
		}
		return "redirect:" + formPath(plan, phase, outcome.shown(), queue);
	}

	/**
	 * The same decision from the page's script: the answer is the next item's part of the
	 * page (with the decision just made and its Undo), swapped in without a reload; its
	 * address is pushed to the browser's history.
	 */
	@PostMapping("/plans/{plan}/phases/{phase}/queue/item")
	@HxRequest
	String decideInPlace(@PathVariable String plan, @PathVariable String phase, @RequestParam String key,
			@RequestParam(defaultValue = "ambiguous") String status, @RequestParam String action,
			@RequestParam(required = false) String newKey, @RequestParam(required = false) String reason,
			@RequestParam long version, Model model, HttpServletResponse response) {
		Queue queue = tab(status);
		Outcome outcome = decideAndNext(plan, phase, key, queue, action, newKey, reason, version, model);
		if (outcome.refused()) {
			response.setStatus(HttpServletResponse.SC_CONFLICT);
			response.setHeader("HX-Reswap", "outerHTML");
			return "mapping/review :: item";
		}
		model.addAttribute("lastDecision", outcome.last());
		model.addAttribute("queueEmpty", outcome.emptied());
		fillForm(plan, phase, outcome.shown(), queue, null, model);
		claim(plan, phase, (MappingItem) model.getAttribute("item"), model);
		response.setHeader("HX-Push-Url", formPath(plan, phase, outcome.shown(), queue));
		return "mapping/review :: item";
	}

	/**
	 * Records a decision or an undo and finds what to show next: after a decision the
	 * next open item nobody else holds (or the decided one when the tab is empty), after
	 * an undo the item undone. A refusal fills the model with the item as it is now.
	 */
	private Outcome decideAndNext(String plan, String phase, String key, Queue queue, String action, String newKey,
			String reason, long version, Model model) {
		MappingItem item;
		try {
			if ("undo".equals(action)) {
				item = this.mappings.undo(plan, phase, key, version);
				return new Outcome(false, false, key, LastDecision.undone(item));
			}
			MatchStatus decision = "exclude".equals(action) ? MatchStatus.EXCLUDED : MatchStatus.MANUAL;
			item = this.mappings.decide(plan, phase, key,
					new DecisionCommand(decision, decision == MatchStatus.MANUAL ? newKey : null, reason, version));
		}
		catch (RefusedException | InvalidException ex) {
			fillForm(plan, phase, key, queue, null, model);
			model.addAttribute("refusal", ex.getMessage());
			model.addAttribute("refused", ex instanceof RefusedException);
			model.addAttribute("reason", reason);
			return new Outcome(true, false, key, null);
		}
		LastDecision last = LastDecision.decided(item);
		// save and next: the first open item of the tab after this one that nobody holds
		Optional<MappingItem> next = this.mappings.claimNext(plan, phase, queue, item.seq());
		if (next.isPresent() && !next.get().oldKey().equals(key)) {
			return new Outcome(false, false, next.get().oldKey(), last);
		}
		return new Outcome(false, true, key, last);
	}

	/**
	 * What a decision led to.
	 *
	 * @param refused the decision was refused (the model holds the item and why)
	 * @param emptied no open item of the tab is left for this reviewer
	 * @param shown the item to show now
	 * @param last the decision (or undo) just made, for the notice with its Undo
	 */
	private record Outcome(boolean refused, boolean emptied, String shown, LastDecision last) {
	}

	/**
	 * The decision just made, shown above the next item with an Undo (or an undo just
	 * made, without).
	 *
	 * @param oldKey the item decided
	 * @param action {@code picked}, {@code excluded} or {@code undone}
	 * @param newKey the new record picked
	 * @param reason the reason of a no-match
	 * @param now the item's status after an undo
	 * @param version the item's version after it, which an Undo must name
	 */
	record LastDecision(String oldKey, String action, String newKey, String reason, String now,
			long version) implements java.io.Serializable {

		static LastDecision decided(MappingItem item) {
			boolean picked = item.status() == MatchStatus.MANUAL;
			return new LastDecision(item.oldKey(), picked ? "picked" : "excluded", item.newKey(),
					picked ? null : item.decision().reason(), item.status().code(), item.version());
		}

		static LastDecision undone(MappingItem item) {
			return new LastDecision(item.oldKey(), "undone", null, null, item.status().code(), item.version());
		}

		public boolean undoable() {
			return !"undone".equals(this.action);
		}

	}

	/**
	 * Accepts an item's best match from its row of the queue (or undoes that), without
	 * opening it: the simple cases at one key. Without JavaScript, back to the queue.
	 */
	@PostMapping("/plans/{plan}/phases/{phase}/queue/row")
	String acceptRow(@PathVariable String plan, @PathVariable String phase, @RequestParam String key,
			@RequestParam(defaultValue = "ambiguous") String status, @RequestParam String action,
			@RequestParam(required = false) String newKey, @RequestParam long version, RedirectAttributes redirect) {
		Queue queue = tab(status);
		try {
			MappingItem item = decideRow(plan, phase, key, action, newKey, version);
			if (item.status() == MatchStatus.MANUAL) {
				FlashMessages.success(redirect, "mapping.flash.picked", key, item.newKey());
			}
			else {
				FlashMessages.success(redirect, "mapping.flash.undone", key, item.status().code());
			}
		}
		catch (RefusedException | InvalidException ex) {
			FlashMessages.error(redirect, "mapping.row.refused", ex.getMessage());
		}
		return "redirect:" + queuePath(plan, phase, queue);
	}

	@PostMapping("/plans/{plan}/phases/{phase}/queue/row")
	@HxRequest
	String acceptRowInPlace(@PathVariable String plan, @PathVariable String phase, @RequestParam String key,
			@RequestParam(defaultValue = "ambiguous") String status, @RequestParam String action,
			@RequestParam(required = false) String newKey, @RequestParam long version, Model model,
			HttpServletResponse response) {
		Queue queue = tab(status);
		MappingItem item;
		String accepted = null;
		try {
			item = decideRow(plan, phase, key, action, newKey, version);
			accepted = (item.status() == MatchStatus.MANUAL) ? "picked" : null;
		}
		catch (RefusedException | InvalidException ex) {
			item = this.mappings.item(plan, phase, key);
			model.addAttribute("rowRefusal", ex.getMessage());
			response.setStatus(HttpServletResponse.SC_CONFLICT);
			response.setHeader("HX-Reswap", "outerHTML");
		}
		model.addAttribute("plan", plan);
		model.addAttribute("phase", phase);
		model.addAttribute("status", queue.code());
		model.addAttribute("item", item);
		model.addAttribute("accepted", accepted);
		model.addAttribute("canReview", true);
		model.addAttribute("claims", this.mappings.claims(plan, phase));
		return "mapping/queue :: row";
	}

	private MappingItem decideRow(String plan, String phase, String key, String action, String newKey, long version) {
		if ("undo".equals(action)) {
			return this.mappings.undo(plan, phase, key, version);
		}
		if (!"pick".equals(action)) {
			throw new InvalidException("action", "mapping.row.action",
					"A row accepts its best match (pick) or undoes that (undo), not " + action + ".", action);
		}
		return this.mappings.decide(plan, phase, key, new DecisionCommand(MatchStatus.MANUAL, newKey, null, version));
	}

	private static String queuePath(String plan, String phase, Queue queue) {
		return "/plans/" + encode(plan) + "/phases/" + encode(phase) + "/queue?status=" + queue.code();
	}

	private static String formPath(String plan, String phase, String key, Queue queue) {
		return "/plans/" + encode(plan) + "/phases/" + encode(phase) + "/queue/item?key=" + encode(key) + "&status="
				+ queue.code();
	}

	private static String encode(String text) {
		return UriUtils.encodeQueryParam(text, java.nio.charset.StandardCharsets.UTF_8);
	}

	static Queue tab(String status) {
		return Queue.of(status)
			.filter(queue -> queue != Queue.ALL)
			.orElseThrow(() -> new InvalidException("status", "mapping.badQueue",
					"status is one of ambiguous, unresolved, conflict, decided or auto, not " + status + ".", status));
	}

	private static String blankToNull(String text) {
		return (text == null || text.isBlank()) ? null : text;
	}

	/**
	 * Candidates as the form shows them: each field marked as agreeing with the old
	 * record's or not.
	 */
	private static List<CandidateCard> cards(List<Candidate> candidates, MappingItem item, MappingRun run,
			boolean sameBlock) {
		List<CandidateCard> cards = new ArrayList<>();
		for (Candidate candidate : candidates) {
			List<FieldCell> fields = new ArrayList<>();
			for (int i = 0; i < candidate.record().size(); i++) {
				String name = i < run.newFields().size() ? run.newFields().get(i) : "field " + (i + 1);
				Double agree = (i == 0) ? null : candidate.breakdown().get(i - 1);
				String value = candidate.record().get(i);
				String oldValue = i < item.old().size() ? item.old().get(i) : null;
				// a candidate shares the old record's block value by definition; a record
				// found by a search is compared loosely (case, spaces, accents aside)
				boolean agrees = (i == 0) ? (sameBlock || sameText(oldValue, value))
						: agree != null && agree >= 1.0 - 1e-9;
				fields.add(new FieldCell(name, value, agrees, agree,
						(i == 0 || i - 1 >= run.weights().size()) ? null : run.weights().get(i - 1)));
			}
			cards.add(new CandidateCard(candidate.newKey(), candidate.score(), null, fields,
					candidate.newKey().equals(item.newKey())));
		}
		return cards;
	}

	private static boolean sameText(String a, String b) {
		if (a == null || b == null) {
			return false;
		}
		List<Normalization> loose = List.of(Normalization.TRIM, Normalization.COLLAPSE_SPACES, Normalization.LOWER,
				Normalization.STRIP_ACCENTS);
		return Normalization.apply(loose, a).equals(Normalization.apply(loose, b));
	}

	/**
	 * A candidate on the form; a suggestion also has the similarity of its block value.
	 */
	record CandidateCard(String newKey, double score, Double similarity, List<FieldCell> fields, boolean chosen) {

		CandidateCard withSimilarity(double closeness) {
			return new CandidateCard(this.newKey, this.score, closeness, this.fields, this.chosen);
		}

		public long percent() {
			return Math.round(this.score * 100);
		}

	}

	/**
	 * One field of a candidate: its value, whether it agrees with the old record's, and
	 * for tie-breakers the agreement (0..1) and weight.
	 */
	record FieldCell(String name, String value, boolean agrees, Double agreement, Double weight) {
	}

}
