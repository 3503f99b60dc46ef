package dev.ferry.mapping;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import dev.ferry.gate.ApprovalService;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The review queue's facets, sort and "apply to all like this" on the demo plan's mapping
 * dry run (20,000 items; 300 ambiguous, 280 unresolved): the facet counts add up to the
 * tab's open items and each equals what its filter lists, sorted keyset pages walk the
 * whole tab in score order, the bulk preview lists exactly what the accept then decides,
 * bad values are 400s with words; the queue page's time is measured.
 */
@FerryAppTest
class QueueFacetsIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-queue-facets");

	static final String QUEUE = "/plans/ahs-v2/phases/map/queue";

	static final String API = "/api/v1/plans/ahs-v2/phases/map/mapping";

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	MappingService mappings;

	@Autowired
	MockMvc mvc;

	@BeforeEach
	void mapped() {
		if (SystemActor.call(() -> this.mappings.latestRun("ahs-v2", "map")).isEmpty()) {
			Actors.succeeded(this.runs, this.approvals, "ahs-v2", "schema", RunMode.APPLY);
			Actors.succeeded(this.runs, this.approvals, "ahs-v2", "import", RunMode.DRY_RUN);
			Actors.succeeded(this.runs, this.approvals, "ahs-v2", "import", RunMode.APPLY);
			Actors.succeeded(this.runs, this.approvals, "ahs-v2", "map", RunMode.DRY_RUN);
		}
	}

	@Test
	void theFacetCountsAddUpToTheTabAndEachEqualsWhatItsFilterLists() {
		Coverage coverage = SystemActor.call(() -> this.mappings.coverage("ahs-v2", "map")).orElseThrow();
		for (Queue queue : List.of(Queue.AMBIGUOUS, Queue.UNRESOLVED)) {
			long open = (queue == Queue.AMBIGUOUS) ? coverage.ambiguous() : coverage.unresolved();
			QueueFacets facets = facets(queue, QueueFilter.NONE);
			assertThat(sum(facets.bands())).as("%s bands", queue).isEqualTo(open);
			assertThat(sum(facets.candidates())).as("%s candidate counts", queue).isEqualTo(open);
			assertThat(sum(facets.prefixes())).as("%s prefixes", queue).isEqualTo(open);
			List<MappingItem> all = all(queue, QueueFilter.NONE);
			assertThat(all).hasSize((int) open);
			check(queue, facets.bands(), value -> filter("band", value), all,
					item -> QueueFilter.bandParam(band(item)));
			check(queue, facets.candidates(), value -> filter("candidates", value), all,
					item -> QueueFilter.candidatesParam(Math.min(4, item.candidateCount())));
			check(queue, facets.prefixes(), value -> filter("prefix", value), all, QueueFacetsIntegrationTests::prefix);
			for (QueueFacets.Count differs : facets.differs()) {
				List<MappingItem> listed = all(queue, filter("differs", differs.value()));
				assertThat(listed).as("%s differs %s", queue, differs.value()).hasSize((int) differs.count());
				assertThat(listed).allSatisfy(item -> assertThat(differing(item)).as(item.oldKey())
					.isEqualTo(QueueFilter.ALL_AGREE.equals(differs.value()) ? List.of()
							: differing(item).contains(differs.value()) ? differing(item) : List.of("(missing)")));
				assertThat(all.stream()
					.filter(item -> !item.candidates().isEmpty())
					.filter(item -> QueueFilter.ALL_AGREE.equals(differs.value()) ? differing(item).isEmpty()
							: differing(item).contains(differs.value())))
					.as("every %s item that differs on %s is counted", queue, differs.value())
					.hasSize((int) differs.count());
			}
		}
		QueueFacets ambiguous = facets(Queue.AMBIGUOUS, QueueFilter.NONE);
		assertThat(ambiguous.differs()).extracting(QueueFacets.Count::value).contains("hybridizer_code");
		QueueFacets unresolved = facets(Queue.UNRESOLVED, QueueFilter.NONE);
		assertThat(unresolved.bands()).extracting(QueueFacets.Count::value).containsExactly("none");
		assertThat(unresolved.candidates()).extracting(QueueFacets.Count::value).containsExactly("0");
		assertThat(unresolved.differs()).as("no candidate, nothing differs").isEmpty();
	}

	@Test
	void facetsCombineAndEachFacetIsCountedWithinTheOthers() {
		QueueFacets none = facets(Queue.AMBIGUOUS, QueueFilter.NONE);
		QueueFacets.Count band = none.bands().get(0);
		QueueFilter banded = filter("band", band.value());
		QueueFacets within = facets(Queue.AMBIGUOUS, banded);
		assertThat(within.bands()).as("the band's own facet is counted without it").isEqualTo(none.bands());
		assertThat(sum(within.candidates())).isEqualTo(band.count());
		assertThat(sum(within.prefixes())).isEqualTo(band.count());
		QueueFacets.Count candidates = within.candidates().get(0);
		QueueFilter both = QueueFilter.parse(null, band.value(), candidates.value(), null, null, null);
		assertThat(all(Queue.AMBIGUOUS, both)).hasSize((int) candidates.count())
			.allSatisfy(item -> assertThat(QueueFilter.bandParam(band(item))).isEqualTo(band.value()));
		String letter = within.prefixes().get(0).value();
		QueueFilter searched = QueueFilter.parse(letter.toLowerCase(Locale.ROOT), band.value(), null, null, null, null);
		assertThat(all(Queue.AMBIGUOUS, searched))
			.allSatisfy(item -> assertThat(String.join(" ", item.old()).toLowerCase(Locale.ROOT) + item.oldKey())
				.contains(letter.toLowerCase(Locale.ROOT)));
	}

	@Test
	void sortedByScoreTheKeysetPagesWalkTheWholeTabInOrder() {
		for (QueueFilter.Sort sort : List.of(QueueFilter.Sort.SCORE_ASC, QueueFilter.Sort.SCORE_DESC)) {
			for (QueueFilter filter : List.of(new QueueFilter(null, null, null, null, null, sort),
					new QueueFilter(null, null, 2, null, null, sort))) {
				List<MappingItem> all = all(Queue.AMBIGUOUS,
						new QueueFilter(null, null, filter.candidates(), null, null, QueueFilter.Sort.RUN));
				Comparator<MappingItem> byScore = Comparator
					.comparingDouble(item -> item.bestScore() == null ? -1 : item.bestScore());
				List<MappingItem> expected = new ArrayList<>(all);
				expected.sort((sort == QueueFilter.Sort.SCORE_ASC ? byScore : byScore.reversed())
					.thenComparingLong(MappingItem::seq));
				List<MappingItem> walked = new ArrayList<>();
				String after = null;
				int pages = 0;
				do {
					String cursor = after;
					MappingPage page = SystemActor
						.call(() -> this.mappings.filteredItems("ahs-v2", "map", Queue.AMBIGUOUS, filter, cursor, 23));
					walked.addAll(page.items());
					after = page.next();
					pages++;
				}
				while (after != null);
				assertThat(pages).isGreaterThan(1);
				assertThat(walked).as("%s %s", sort, filter)
					.extracting(MappingItem::oldKey)
					.containsExactlyElementsOf(expected.stream().map(MappingItem::oldKey).toList());
			}
		}
		// the unresolved tab: every score is none, so the seq orders
		MappingPage unresolved = SystemActor.call(() -> this.mappings.filteredItems("ahs-v2", "map", Queue.UNRESOLVED,
				new QueueFilter(null, null, null, null, null, QueueFilter.Sort.SCORE_DESC), null, 10));
		assertThat(unresolved.next()).startsWith("-1.0_");
		MappingPage second = SystemActor.call(() -> this.mappings.filteredItems("ahs-v2", "map", Queue.UNRESOLVED,
				new QueueFilter(null, null, null, null, null, QueueFilter.Sort.SCORE_DESC), unresolved.next(), 10));
		assertThat(second.items().get(0).seq()).isGreaterThan(unresolved.items().get(9).seq());
	}

	@Test
	void theBulkPreviewListsExactlyWhatTheAcceptWithinTheFacetsDecides() {
		// the planted singles at 0.6: one candidate, hybridizer_code differing
		QueueFilter like = QueueFilter.parse(null, null, "1", "hybridizer_code", null, null);
		BulkPreview preview = SystemActor
			.call(() -> this.mappings.bulkPreview("ahs-v2", "map", Queue.AMBIGUOUS, 0.5, like));
		assertThat(preview.accepted()).isPositive().isLessThanOrEqualTo(BulkPreview.LISTED);
		assertThat(preview.listed()).hasSize((int) preview.accepted());
		assertThat(preview.more()).isZero();
		assertThat(preview.listed()).allSatisfy(listed -> {
			MappingItem item = SystemActor.call(() -> this.mappings.item("ahs-v2", "map", listed.oldKey()));
			assertThat(item.candidateCount()).isEqualTo(1);
			assertThat(listed.newKey()).isEqualTo(item.bestNewKey());
			assertThat(listed.score()).isEqualTo(item.bestScore()).isGreaterThanOrEqualTo(0.5);
			assertThat(listed.old()).isEqualTo(item.old());
			assertThat(listed.record()).isEqualTo(item.candidates().get(0).record());
		});
		// without the facets more would be accepted (the listed ones are a part)
		BulkPreview unfaceted = SystemActor
			.call(() -> this.mappings.bulkPreview("ahs-v2", "map", Queue.AMBIGUOUS, 0.0));
		assertThat(unfaceted.accepted()).isGreaterThanOrEqualTo(preview.accepted());
		BulkPreview wide = SystemActor
			.call(() -> this.mappings.bulkPreview("ahs-v2", "map", Queue.AMBIGUOUS, 0.0, QueueFilter.NONE));
		assertThat(wide.listed()).hasSize((int) Math.min(BulkPreview.LISTED, wide.accepted()));
		assertThat(wide.more()).isEqualTo(wide.accepted() - wide.listed().size());

		Set<String> others = new HashSet<>(
				all(Queue.AMBIGUOUS, QueueFilter.NONE).stream().map(MappingItem::oldKey).toList());
		Set<String> previewed = new HashSet<>(preview.listed().stream().map(BulkPreview.Listed::oldKey).toList());
		others.removeAll(previewed);
		assertThatThrownBy(() -> SystemActor
			.call(() -> this.mappings.bulkAccept("ahs-v2", "map", Queue.AMBIGUOUS, 0.5, like, preview.accepted() + 1)))
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining("nothing was accepted");
		long accepted = SystemActor
			.call(() -> this.mappings.bulkAccept("ahs-v2", "map", Queue.AMBIGUOUS, 0.5, like, preview.accepted()));
		assertThat(accepted).isEqualTo(preview.accepted());
		List<MappingItem> decided = SystemActor
			.call(() -> this.mappings.items("ahs-v2", "map", Queue.DECIDED, null, null, 500))
			.items()
			.stream()
			.filter(item -> item.decision().reason() != null
					&& item.decision().reason().contains("candidates 1, hybridizer_code differs"))
			.toList();
		assertThat(decided).extracting(MappingItem::oldKey).containsExactlyInAnyOrderElementsOf(previewed);
		assertThat(decided).allSatisfy(item -> assertThat(item.newKey()).isEqualTo(item.bestNewKey()));
		assertThat(all(Queue.AMBIGUOUS, QueueFilter.NONE)).extracting(MappingItem::oldKey)
			.as("the items outside the facets are still open")
			.containsExactlyInAnyOrderElementsOf(others);
		assertThat(SystemActor.call(() -> this.mappings.bulkPreview("ahs-v2", "map", Queue.AMBIGUOUS, 0.5, like))
			.accepted()).isZero();
	}

	@Test
	void badFacetAndSortValuesAre400sWithWords() throws Exception {
		MockHttpSession reviewer = ConsoleSession.signIn(this.mvc, "reviewer");
		String token = ConsoleSession.makeToken(this.mvc, reviewer, "facets-reviewer", 30);
		String[][] bad = { { "band=1.5", "tenth (0.0, 0.1" }, { "band=0.95", "not 0.95" },
				{ "candidates=7", "candidates is 0, 1, 2, 3 or 4+" }, { "differs=colour", "year, hybridizer_code" },
				{ "prefix=ab", "prefix is one letter" }, { "sort=up", "score-asc or score-desc, not up" },
				{ "sort=score-asc&after=12", "not a cursor" }, { "status=decided&sort=score-desc", "old key order" } };
		for (String[] query : bad) {
			MockHttpServletResponse api = this.mvc
				.perform(get(API + "?" + (query[0].startsWith("status=") ? "" : "status=ambiguous&") + query[0])
					.header("Authorization", "Bearer " + token))
				.andReturn()
				.getResponse();
			assertThat(api.getStatus()).as(query[0]).isEqualTo(400);
			assertThat(api.getContentAsString(StandardCharsets.UTF_8)).as(query[0]).contains(query[1]);
			if (!query[0].startsWith("status=decided")) {
				MockHttpServletResponse page = this.mvc
					.perform(get(QUEUE + "?status=ambiguous&" + query[0]).session(reviewer))
					.andReturn()
					.getResponse();
				assertThat(page.getStatus()).as("page " + query[0]).isEqualTo(400);
				assertThat(page.getContentAsString(StandardCharsets.UTF_8)).as("page " + query[0]).contains(query[1]);
			}
		}
		MockHttpServletResponse facets = this.mvc
			.perform(get(API + "/facets?status=decided").header("Authorization", "Bearer " + token))
			.andReturn()
			.getResponse();
		assertThat(facets.getStatus()).isEqualTo(400);
		MockHttpServletResponse listed = this.mvc
			.perform(get(API).param("status", "ambiguous")
				.param("candidates", "4+")
				.param("sort", "score-desc")
				.param("limit", "5")
				.header("Authorization", "Bearer " + token))
			.andReturn()
			.getResponse();
		assertThat(listed.getStatus()).isEqualTo(200);
		assertThat(listed.getContentAsString(StandardCharsets.UTF_8)).contains("\"next\"");
		MockHttpServletResponse counted = this.mvc
			.perform(get(API + "/facets?status=ambiguous&band=0.6").header("Authorization", "Bearer " + token))
			.andReturn()
			.getResponse();
		assertThat(counted.getStatus()).isEqualTo(200);
		assertThat(counted.getContentAsString(StandardCharsets.UTF_8)).contains("\"bands\"", "\"differs\"");
	}

	/**
	 * Measures the queue page with facets (printed: median and slowest of 15 after 5 to
	 * warm up) and checks each answer; how long it took is reported, not asserted (the
	 * figure depends on the machine and its load, see the benchmarks' rule).
	 */
	@Test
	void theQueuePageWithFacetsIsMeasured() throws Exception {
		MockHttpSession reviewer = ConsoleSession.signIn(this.mvc, "reviewer");
		String[] pages = { QUEUE + "?status=ambiguous", QUEUE + "?status=unresolved",
				QUEUE + "?status=ambiguous&band=0.6&differs=hybridizer_code&sort=score-desc",
				QUEUE + "?status=ambiguous&candidates=2&prefix=A&q=a&bulkScore=0.5",
				QUEUE + "?status=unresolved&prefix=M&sort=score-asc" };
		for (String page : pages) {
			for (int i = 0; i < 5; i++) {
				assertThat(this.mvc.perform(get(page).session(reviewer)).andReturn().getResponse().getStatus())
					.isEqualTo(200);
			}
			long[] took = new long[15];
			for (int i = 0; i < took.length; i++) {
				long start = System.nanoTime();
				MockHttpServletResponse response = this.mvc.perform(get(page).session(reviewer))
					.andReturn()
					.getResponse();
				took[i] = System.nanoTime() - start;
				assertThat(response.getStatus()).isEqualTo(200);
				assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains("id=\"queue-facets\"");
			}
			Arrays.sort(took);
			double median = took[took.length / 2] / 1e6;
			double worst = took[took.length - 1] / 1e6;
			System.out.printf(Locale.ROOT, "queue page %s: median %.1f ms, slowest %.1f ms%n", page, median, worst);
		}
		// the facets' share: their one GROUP BY (the service call), and the list's page
		for (QueueFilter filter : List.of(QueueFilter.NONE,
				QueueFilter.parse(null, "0.6", null, "hybridizer_code", null, "score-desc"))) {
			long[] facets = new long[15];
			long[] list = new long[15];
			for (int i = -5; i < facets.length; i++) {
				long start = System.nanoTime();
				QueueFacets counted = facets(Queue.AMBIGUOUS, filter);
				long middle = System.nanoTime();
				MappingPage page = SystemActor
					.call(() -> this.mappings.filteredItems("ahs-v2", "map", Queue.AMBIGUOUS, filter, null, 50));
				long end = System.nanoTime();
				assertThat(counted.bands()).isNotEmpty();
				assertThat(page.items()).isNotEmpty();
				if (i >= 0) {
					facets[i] = middle - start;
					list[i] = end - middle;
				}
			}
			Arrays.sort(facets);
			Arrays.sort(list);
			System.out.printf(Locale.ROOT, "ambiguous %s: facets median %.1f ms, list page median %.1f ms%n",
					filter.describe(), facets[7] / 1e6, list[7] / 1e6);
		}
	}

	private QueueFacets facets(Queue queue, QueueFilter filter) {
		return SystemActor.call(() -> this.mappings.facets("ahs-v2", "map", queue, filter));
	}

	private List<MappingItem> all(Queue queue, QueueFilter filter) {
		return SystemActor.call(() -> this.mappings.filteredItems("ahs-v2", "map", queue, filter, null, 500)).items();
	}

	private void check(Queue queue, List<QueueFacets.Count> counts, Function<String, QueueFilter> filter,
			List<MappingItem> all, Function<MappingItem, String> value) {
		for (QueueFacets.Count count : counts) {
			List<MappingItem> listed = all(queue, filter.apply(count.value()));
			assertThat(listed).as("%s %s", queue, count.value()).hasSize((int) count.count());
			assertThat(listed).allSatisfy(item -> assertThat(value.apply(item)).isEqualTo(count.value()));
			assertThat(all.stream().filter(item -> count.value().equals(value.apply(item))))
				.hasSize((int) count.count());
		}
	}

	private static QueueFilter filter(String facet, String value) {
		return switch (facet) {
			case "band" -> QueueFilter.parse(null, value, null, null, null, null);
			case "candidates" -> QueueFilter.parse(null, null, value, null, null, null);
			case "differs" -> QueueFilter.parse(null, null, null, value, null, null);
			default -> QueueFilter.parse(null, null, null, null, value, null);
		};
	}

	private static long sum(List<QueueFacets.Count> counts) {
		return counts.stream().mapToLong(QueueFacets.Count::count).sum();
	}

	private static int band(MappingItem item) {
		return item.bestScore() == null ? -1 : Math.min(9, (int) Math.floor(item.bestScore() * 10 + 1e-9));
	}

	private static String prefix(MappingItem item) {
		String value = java.text.Normalizer.normalize(item.old().get(0).strip(), java.text.Normalizer.Form.NFD)
			.replaceAll("\\p{M}", "")
			.toUpperCase(Locale.ROOT);
		char first = value.charAt(0);
		return (first >= 'A' && first <= 'Z') ? String.valueOf(first) : "#";
	}

	/** The tie-breakers (old fields) on which the item's best candidate differs. */
	private static List<String> differing(MappingItem item) {
		List<String> names = List.of("year", "hybridizer_code");
		List<String> differing = new ArrayList<>();
		List<Double> breakdown = item.candidates().get(0).breakdown();
		for (int i = 0; i < breakdown.size(); i++) {
			if (breakdown.get(i) < 1.0 - 1e-9) {
				differing.add(names.get(i));
			}
		}
		return differing;
	}

}
