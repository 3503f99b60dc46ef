package dev.ferry.mapping;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.ferry.gate.ApprovalService;
import dev.ferry.support.Actors;
import dev.ferry.FerryApplication;
import dev.ferry.connection.ConnectionService;
import dev.ferry.problem.InvalidException;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.security.Role;
import dev.ferry.support.ConsoleSession;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import dev.ferry.support.Await;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The demo plan's mapping phase on its planted data (docs/demo-data.md): after the schema
 * and the import are applied, the mapping dry run finds 19,420 auto, 300 ambiguous and
 * 280 unresolved items, coverage 97.10%; decisions move the counts, are refused against a
 * stale version, survive a new dry run (or are flagged when their record is gone), and
 * undo returns an item to its queue.
 * <p>
 * Each test starts from the same state, whatever ran before it: the schema and the import
 * are applied and the mapping dry run is done once, in an application context that is
 * then closed; its data directory (Ferry's store, the demo databases, the reports) is
 * kept aside, and each test gets a fresh copy of it, at the same path, with a context of
 * its own. Nothing a test decides, deletes or applies is seen by another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class DemoMappingIntegrationTests {

	@TempDir
	static Path dir;

	/** The data directory right after the first mapping dry run. */
	@TempDir
	static Path mapped;

	ConfigurableApplicationContext app;

	RunService runs;

	ApprovalService approvals;

	MappingService mappings;

	/** The first mapping dry run, as it ended. */
	RunView dryRun;

	@BeforeAll
	void applyTheImportAndMap() throws Exception {
		start();
		assertThat(run("schema", RunMode.APPLY).state()).isEqualTo(RunState.SUCCEEDED);
		assertThat(run("import", RunMode.DRY_RUN).state()).isEqualTo(RunState.SUCCEEDED);
		assertThat(run("import", RunMode.APPLY).state()).isEqualTo(RunState.SUCCEEDED);
		this.dryRun = run("map", RunMode.DRY_RUN);
		this.app.close();
		copy(dir, mapped);
	}

	/** A context of the test's own, on a fresh copy of the mapped data directory. */
	@BeforeEach
	void startMapped() throws Exception {
		delete(dir);
		copy(mapped, dir);
		start();
	}

	@AfterEach
	void stop() {
		this.app.close();
	}

	private void start() {
		String store = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
		this.app = new SpringApplicationBuilder(FerryApplication.class).profiles("test")
			.run("--spring.datasource.url=" + store, "--server.port=0", "--ferry.data-dir=" + dir.toAbsolutePath(),
					"--db-scheduler.polling-interval=200ms", "--db-scheduler.heartbeat-interval=1s",
					"--ferry.mapping.sort-chunk-records=3000");
		this.runs = this.app.getBean(RunService.class);
		this.approvals = this.app.getBean(ApprovalService.class);
		this.mappings = this.app.getBean(MappingService.class);
	}

	/** Copies a directory's files into another, keeping their relative paths. */
	private static void copy(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from)) {
			for (Path file : files.toList()) {
				Path copy = to.resolve(from.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(copy);
				}
				else {
					Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

	/** Deletes what a directory holds, not the directory. */
	private static void delete(Path directory) throws IOException {
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				if (!file.equals(directory)) {
					Files.delete(file);
				}
			}
		}
	}

	/**
	 * Claims (issue 21): two reviewers starting on one queue get different items; opening
	 * an item another holds does not take it; a decision ends its claim; an expired claim
	 * is taken over. Then the review form's protocol without and with htmx: a decision
	 * redirects to the next item with the decision and its Undo shown; from htmx it
	 * answers the next item's part of the page with its address to push; a decision
	 * against an old version answers 409 with the item as it is now, to be shown in
	 * place.
	 */
	@Test
	void reviewersClaimDifferentItemsAndTheFormDecidesWithOrWithoutHtmx() throws Exception {
		MappingItem first = Actors
			.as("reviewer", Role.REVIEWER, () -> this.mappings.claimNext("ahs-v2", "map", Queue.AMBIGUOUS, 0))
			.orElseThrow();
		MappingItem second = Actors
			.as("reviewer2", Role.REVIEWER, () -> this.mappings.claimNext("ahs-v2", "map", Queue.AMBIGUOUS, 0))
			.orElseThrow();
		assertThat(second.oldKey()).isNotEqualTo(first.oldKey());
		assertThat(second.seq()).as("the first item nobody holds").isGreaterThan(first.seq());
		Claim held = Actors.as("reviewer2", Role.REVIEWER, () -> this.mappings.claim("ahs-v2", "map", first.oldKey()));
		assertThat(held.mine()).isFalse();
		assertThat(held.holder()).isEqualTo("reviewer");
		assertThat(SystemActor.call(() -> this.mappings.claims("ahs-v2", "map")).get(first.oldKey()).holder())
			.isEqualTo("reviewer");

		Actors.as("reviewer", Role.REVIEWER, () -> this.mappings.decide("ahs-v2", "map", first.oldKey(),
				new DecisionCommand(MatchStatus.MANUAL, first.bestNewKey(), null, 0)));
		assertThat(SystemActor.call(() -> this.mappings.claims("ahs-v2", "map"))).as("the decision ended the claim")
			.doesNotContainKey(first.oldKey());

		// reviewer2 holds an item whose claim has run out: anyone may take it
		Actors.as("reviewer2", Role.REVIEWER, () -> this.mappings.claim("ahs-v2", "map", second.oldKey()));
		this.app.getBean(JdbcTemplate.class)
			.update("UPDATE mapping_claims SET expires_at = ? WHERE old_key = ?",
					java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)), second.oldKey());
		assertThat(SystemActor.call(() -> this.mappings.claims("ahs-v2", "map"))).doesNotContainKey(second.oldKey());
		MappingItem next = Actors
			.as("reviewer", Role.REVIEWER, () -> this.mappings.claimNext("ahs-v2", "map", Queue.AMBIGUOUS, first.seq()))
			.orElseThrow();
		assertThat(next.oldKey()).isEqualTo(second.oldKey());
		assertThat(
				Actors.as("reviewer", Role.REVIEWER, () -> this.mappings.claim("ahs-v2", "map", next.oldKey())).mine())
			.isTrue();

		// the form without JavaScript: post, redirect to the next item, the decision
		// shown
		MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) this.app)
			.apply(SecurityMockMvcConfigurers.springSecurity())
			.build();
		MockHttpSession session = ConsoleSession.signIn(mvc, "reviewer");
		String form = "/plans/ahs-v2/phases/map/queue/item";
		var posted = mvc
			.perform(post(form).param("key", next.oldKey())
				.param("status", "ambiguous")
				.param("action", "pick")
				.param("newKey", next.bestNewKey())
				.param("version", "0")
				.session(session)
				.with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andReturn();
		String target = posted.getResponse().getRedirectedUrl();
		assertThat(target).startsWith(form + "?key=").doesNotContain("key=" + next.oldKey() + "&");
		String page = mvc.perform(get(target).session(session).flashAttrs(posted.getFlashMap()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("Mapped " + next.oldKey() + " → " + next.bestNewKey())
			.contains("id=\"undo-last\"")
			.contains("Held for you");
		String shown = target.substring((form + "?key=").length(), target.indexOf('&'));

		// the same from htmx: the next item's part of the page, its address to push
		var swapped = mvc
			.perform(post(form).param("key", shown)
				.param("status", "ambiguous")
				.param("action", "exclude")
				.param("reason", "not in the new table")
				.param("version", "0")
				.header("HX-Request", "true")
				.session(session)
				.with(csrf()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse();
		assertThat(swapped.getHeader("HX-Push-Url")).startsWith(form + "?key=").doesNotContain("key=" + shown + "&");
		assertThat(swapped.getContentAsString()).contains("id=\"review-item\"")
			.contains(shown + ": no match (not in the new table)")
			.contains("id=\"undo-last\"")
			.doesNotContain("<html");

		// a decision against the version before: 409, the item as it is now, in place
		var refused = mvc
			.perform(post(form).param("key", shown)
				.param("status", "ambiguous")
				.param("action", "pick")
				.param("newKey", "1")
				.param("version", "0")
				.header("HX-Request", "true")
				.session(session)
				.with(csrf()))
			.andExpect(status().isConflict())
			.andReturn()
			.getResponse();
		assertThat(refused.getHeader("HX-Reswap")).isEqualTo("outerHTML");
		assertThat(refused.getContentAsString()).contains("id=\"refusal\"")
			.contains("changed since you opened it")
			.contains("reviewer marked it as having no match meanwhile");
		assertThat(SystemActor.call(() -> this.mappings.item("ahs-v2", "map", shown)).status())
			.isEqualTo(MatchStatus.EXCLUDED);
	}

	@Test
	void theDryRunFindsThePlantedOutcomes() {
		assertThat(this.dryRun.state()).as(String.valueOf(this.dryRun.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(this.dryRun.counts().read()).isEqualTo(20_000);
		Coverage coverage = coverage();
		assertThat(coverage.auto()).isEqualTo(19_420);
		assertThat(coverage.ambiguous()).isEqualTo(300);
		assertThat(coverage.unresolved()).isEqualTo(280);
		assertThat(coverage.conflict() + coverage.manual() + coverage.excluded()).isZero();
		assertThat(coverage.coverage()).isCloseTo(0.9710, within(1e-9));
		// every auto scores 1.0 (19,420); the ambiguous: 80 same year at 1.0, 80 no
		// year at 0.4, 80 other hybridizer at 0.6, 30 + 30 single candidates at 0.6 and
		// 0.4
		assertThat(coverage.histogram()).containsExactly(0L, 0L, 0L, 0L, 110L, 0L, 110L, 0L, 0L, 0L, 19_500L);
	}

	@Test
	void anAmbiguousItemShowsItsCandidatesWithTheirBreakdown() {
		MappingPage page = SystemActor
			.call(() -> this.mappings.items("ahs-v2", "map", Queue.AMBIGUOUS, null, null, 500));
		assertThat(page.items()).hasSize(300);
		assertThat(page.next()).isNull();
		MappingItem sameYear = page.items()
			.stream()
			.filter(item -> item.candidates().size() == 2 && item.bestScore() == 1.0)
			.findFirst()
			.orElseThrow();
		assertThat(sameYear.candidates()).extracting(Candidate::score).containsExactly(1.0, 1.0);
		assertThat(sameYear.candidates().get(0).breakdown()).containsExactly(1.0, 1.0);
		assertThat(sameYear.old()).hasSize(3);
		assertThat(sameYear.version()).isZero();
		MappingPage unresolved = SystemActor
			.call(() -> this.mappings.items("ahs-v2", "map", Queue.UNRESOLVED, null, null, 100));
		assertThat(unresolved.items()).hasSize(100).allSatisfy(item -> assertThat(item.candidates()).isEmpty());
		MappingPage rest = SystemActor
			.call(() -> this.mappings.items("ahs-v2", "map", Queue.UNRESOLVED, null, unresolved.next(), 500));
		assertThat(rest.items()).hasSize(180);
		assertThat(rest.items().get(0).seq()).isGreaterThan(unresolved.items().get(99).seq());
	}

	@Test
	void decisionsMoveTheCountsAndAStaleVersionIsRefused() {
		MappingItem item = SystemActor
			.call(() -> this.mappings.items("ahs-v2", "map", Queue.AMBIGUOUS, null, null, 500))
			.items()
			.stream()
			.filter(candidate -> candidate.candidates().size() == 2)
			.findFirst()
			.orElseThrow();
		String pick = item.candidates().get(1).newKey();

		MappingItem decided = SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", item.oldKey(),
				new DecisionCommand(MatchStatus.MANUAL, pick, null, 0)));
		assertThat(decided.status()).isEqualTo(MatchStatus.MANUAL);
		assertThat(decided.newKey()).isEqualTo(pick);
		assertThat(decided.version()).isEqualTo(1);
		assertThat(decided.decision().decidedBy()).isEqualTo(SystemActor.NAME);
		assertThat(coverage().manual()).isEqualTo(1);
		assertThat(coverage().ambiguous()).isEqualTo(299);

		assertThatThrownBy(() -> SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", item.oldKey(),
				new DecisionCommand(MatchStatus.EXCLUDED, null, "not the same plant", 0))))
			.as("a second reviewer with the form opened before")
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining("changed since you opened it")
			.hasMessageContaining("mapped it to " + pick);
		assertThat(SystemActor.call(() -> this.mappings.item("ahs-v2", "map", item.oldKey())).newKey())
			.as("the first decision stands")
			.isEqualTo(pick);

		MappingItem unresolved = firstOpen(Queue.UNRESOLVED);
		assertThatThrownBy(() -> SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", unresolved.oldKey(),
				new DecisionCommand(MatchStatus.EXCLUDED, null, "  ", 0))))
			.isInstanceOf(InvalidException.class)
			.hasMessageContaining("needs a reason");
		SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", unresolved.oldKey(),
				new DecisionCommand(MatchStatus.EXCLUDED, null, "its cultivar was rejected by the import", 0)));
		Coverage coverage = coverage();
		assertThat(coverage.excluded()).isEqualTo(1);
		assertThat(coverage.unresolved()).isEqualTo(279);
		// (19,420 + 1) / (20,000 - 1)
		assertThat(coverage.coverage()).isCloseTo(19_421.0 / 19_999, within(1e-12));
		assertThat(SystemActor.call(() -> this.mappings.items("ahs-v2", "map", Queue.DECIDED, null, null, 50)).items())
			.extracting(MappingItem::oldKey)
			.containsExactlyInAnyOrder(item.oldKey(), unresolved.oldKey());
	}

	@Test
	void aNewDryRunKeepsTheDecisionsAndUndoReturnsAnItemToItsQueue() {
		// a reviewer maps an ambiguous item to a candidate and excludes an unresolved one
		MappingItem ambiguous = firstOpen(Queue.AMBIGUOUS);
		SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", ambiguous.oldKey(),
				new DecisionCommand(MatchStatus.MANUAL, ambiguous.candidates().get(0).newKey(), null, 0)));
		MappingItem unresolved = firstOpen(Queue.UNRESOLVED);
		SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", unresolved.oldKey(),
				new DecisionCommand(MatchStatus.EXCLUDED, null, "its cultivar was rejected by the import", 0)));
		MappingItem decided = SystemActor
			.call(() -> this.mappings.items("ahs-v2", "map", Queue.DECIDED, null, null, 50))
			.items()
			.stream()
			.filter(item -> item.status() == MatchStatus.MANUAL)
			.findFirst()
			.orElseThrow();
		RunView again = run("map", RunMode.DRY_RUN);
		assertThat(again.state()).isEqualTo(RunState.SUCCEEDED);
		assertThat(again.id()).isNotEqualTo(this.dryRun.id());
		MappingItem kept = SystemActor.call(() -> this.mappings.item("ahs-v2", "map", decided.oldKey()));
		assertThat(kept.runId()).isEqualTo(again.id());
		assertThat(kept.status()).isEqualTo(MatchStatus.MANUAL);
		assertThat(kept.newKey()).isEqualTo(decided.newKey());
		assertThat(coverage().manual()).isEqualTo(1);
		assertThat(coverage().excluded()).isEqualTo(1);

		MappingItem undone = SystemActor
			.call(() -> this.mappings.undo("ahs-v2", "map", decided.oldKey(), kept.version()));
		assertThat(undone.status()).isEqualTo(MatchStatus.AMBIGUOUS);
		assertThat(undone.version()).isEqualTo(kept.version() + 1);
		assertThat(coverage().ambiguous()).isEqualTo(300);
		assertThat(
				SystemActor.call(() -> this.mappings.items("ahs-v2", "map", Queue.AMBIGUOUS, null, null, 500)).items())
			.extracting(MappingItem::oldKey)
			.contains(decided.oldKey());
		assertThat(SystemActor.call(() -> this.mappings.history("ahs-v2", "map", decided.oldKey())))
			.extracting(HistoryEntry::action)
			.containsExactly("decided", "undone");
	}

	@Test
	void aPickWhoseNewRecordIsGoneIsFlaggedAndOpenAgain() throws Exception {
		MappingItem item = firstOpen(Queue.AMBIGUOUS);
		String pick = item.candidates().get(0).newKey();
		SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", item.oldKey(),
				new DecisionCommand(MatchStatus.MANUAL, pick, "the older one", item.version())));
		try (Connection c = SystemActor.call(() -> this.app.getBean(ConnectionService.class).dataSource("app"))
			.getConnection(); Statement s = c.createStatement()) {
			assertThat(s.executeUpdate("DELETE FROM AhsListingV2 WHERE id = " + pick)).isEqualTo(1);
		}
		RunView again = run("map", RunMode.DRY_RUN);
		assertThat(again.state()).isEqualTo(RunState.SUCCEEDED);
		MappingItem flagged = SystemActor.call(() -> this.mappings.item("ahs-v2", "map", item.oldKey()));
		assertThat(flagged.decision().stale()).isTrue();
		assertThat(flagged.status()).as("the computed status again").isEqualTo(flagged.computed());
		assertThat(flagged.candidates()).extracting(Candidate::newKey).doesNotContain(pick);
		if (flagged.status().open()) {
			Queue queue = Queue.of(flagged.status().code()).orElseThrow();
			assertThat(SystemActor.call(() -> this.mappings.items("ahs-v2", "map", queue, null, null, 500)).items())
				.extracting(MappingItem::oldKey)
				.contains(item.oldKey());
		}
		assertThat(SystemActor.call(() -> this.mappings.history("ahs-v2", "map", item.oldKey())))
			.extracting(HistoryEntry::action)
			.endsWith("stale");
		assertThat(SystemActor.call(() -> this.runs.log(again.id()))).anySatisfy(line -> assertThat(line.message())
			.contains("1 earlier pick(s) chose a new record that no longer exists"));
	}

	@Test
	void twoReviewersThroughTheApiTheSecondGetsAConflictAndTheFirstDecisionStands() throws Exception {
		String base = "/api/v1/plans/ahs-v2/phases/map/mapping";
		JsonNode page = json(send("reviewer", "GET", base + "?status=ambiguous&limit=20", null), 200);
		assertThat(page.get("items")).hasSize(20);
		assertThat(page.get("next").asString()).isNotBlank();
		JsonNode item = null;
		for (JsonNode candidate : page.get("items")) {
			// one nobody has decided on yet
			if (candidate.get("candidates").size() == 2 && candidate.get("version").asLong() == 0) {
				item = candidate;
				break;
			}
		}
		assertThat(item).isNotNull();
		String oldKey = item.get("oldKey").asString();
		assertThat(item.get("version").asLong()).isZero();
		assertThat(item.get("old").has("name")).isTrue();
		assertThat(item.get("candidates").get(0).get("breakdown").has("year")).isTrue();
		assertThat(item.get("candidates").get(0).get("record").has("hybridizer")).isTrue();
		String pick = item.get("candidates").get(0).get("newKey").asString();

		JsonNode first = json(send("reviewer", "POST", base + "/" + oldKey + "/decision",
				"{\"status\": \"manual\", \"newKey\": \"" + pick + "\", \"version\": 0}"), 200);
		assertThat(first.get("status").asString()).isEqualTo("manual");
		assertThat(first.get("decidedBy").asString()).isEqualTo("reviewer");
		assertThat(first.get("version").asLong()).isEqualTo(1);

		HttpResponse<String> second = send("admin", "POST", base + "/" + oldKey + "/decision",
				"{\"status\": \"excluded\", \"reason\": \"not the same plant\", \"version\": 0}");
		assertThat(second.statusCode()).isEqualTo(409);
		assertThat(second.body()).contains("changed since you opened it", "reviewer mapped it to " + pick);
		JsonNode now = json(send("viewer", "GET", base + "/" + oldKey, null), 200);
		assertThat(now.get("status").asString()).as("the first decision stands").isEqualTo("manual");
		assertThat(now.get("newKey").asString()).isEqualTo(pick);

		assertThat(send("viewer", "POST", base + "/" + oldKey + "/decision",
				"{\"status\": \"excluded\", \"reason\": \"x\", \"version\": 1}")
			.statusCode()).as("a viewer does not decide").isEqualTo(403);
		assertThat(send("reviewer", "POST", base + "/" + oldKey + "/decision", "{\"status\": \"auto\", \"version\": 1}")
			.statusCode()).isEqualTo(400);
		assertThat(send("reviewer", "DELETE", base + "/" + oldKey + "/decision?version=0", null).statusCode())
			.as("undo against a stale version")
			.isEqualTo(409);
		JsonNode undone = json(send("reviewer", "DELETE", base + "/" + oldKey + "/decision?version=1", null), 200);
		assertThat(undone.get("status").asString()).isEqualTo("ambiguous");
		assertThat(undone.get("version").asLong()).isEqualTo(2);

		JsonNode unresolved = json(send("reviewer", "GET", base + "?status=unresolved&limit=1", null), 200).get("items")
			.get(0);
		String name = unresolved.get("old").get("name").asString();
		String word = name.strip().split("\\s+")[name.strip().split("\\s+").length - 1];
		JsonNode found = json(send("reviewer", "GET",
				base + "/search?q=" + java.net.URLEncoder.encode(word, java.nio.charset.StandardCharsets.UTF_8)
						+ "&oldKey=" + unresolved.get("oldKey").asString(),
				null), 200);
		assertThat(found.size()).isPositive();
		for (JsonNode record : found) {
			assertThat(record.get("record").get("name").asString().toLowerCase(java.util.Locale.ROOT))
				.contains(word.toLowerCase(java.util.Locale.ROOT));
			assertThat(record.get("score").isNumber()).isTrue();
		}
		assertThat(send("reviewer", "GET", base + "/search?q=", null).statusCode()).isEqualTo(400);

		// without a status: every item in the dry run's order, whatever its status
		JsonNode all = json(send("viewer", "GET", base + "?limit=3", null), 200);
		assertThat(all.get("items")).hasSize(3);
		JsonNode more = json(send("viewer", "GET", base + "?limit=3&after=" + all.get("next").asString(), null), 200);
		assertThat(more.get("items")).hasSize(3);
		assertThat(more.get("items").get(0).get("oldKey").asString())
			.isNotEqualTo(all.get("items").get(2).get("oldKey").asString());
		assertThat(send("viewer", "GET", base + "?status=nonsense", null).statusCode()).isEqualTo(400);
	}

	@Test
	void aBulkAcceptDecidesWhatItsPreviewCountedAndLeavesTiesAlone() {
		// the planted ambiguous items at 0.6 or more: 30 single candidates at 0.6
		// (taken),
		// 80 pairs at 1.0 and 80 pairs at 0.6 (ties, left alone)
		BulkPreview top = SystemActor.call(() -> this.mappings.bulkPreview("ahs-v2", "map", Queue.AMBIGUOUS, 0.95));
		assertThat(top.accepted()).as("every ambiguous item at 1.0 is a tie").isZero();
		assertThat(top.tied()).isEqualTo(80);
		BulkPreview preview = SystemActor.call(() -> this.mappings.bulkPreview("ahs-v2", "map", Queue.AMBIGUOUS, 0.6));
		assertThat(preview.accepted()).isEqualTo(30);
		assertThat(preview.tied()).isEqualTo(160);
		Coverage before = coverage();

		assertThatThrownBy(() -> SystemActor
			.call(() -> this.mappings.bulkAccept("ahs-v2", "map", Queue.AMBIGUOUS, 0.6, preview.accepted() + 1)))
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining("nothing was accepted");
		assertThat(coverage().manual()).as("the refused bulk accept changed nothing").isEqualTo(before.manual());

		long accepted = SystemActor
			.call(() -> this.mappings.bulkAccept("ahs-v2", "map", Queue.AMBIGUOUS, 0.6, preview.accepted()));
		assertThat(accepted).isEqualTo(preview.accepted());
		Coverage after = coverage();
		assertThat(after.manual()).isEqualTo(before.manual() + accepted);
		assertThat(after.ambiguous()).isEqualTo(before.ambiguous() - accepted);
		List<MappingItem> decided = SystemActor
			.call(() -> this.mappings.items("ahs-v2", "map", Queue.DECIDED, null, null, 500))
			.items()
			.stream()
			.filter(item -> item.decision().reason() != null && item.decision().reason().startsWith("bulk accept"))
			.toList();
		assertThat(decided).hasSize((int) accepted).allSatisfy(item -> {
			assertThat(item.newKey()).isEqualTo(item.bestNewKey());
			assertThat(item.bestScore()).isGreaterThanOrEqualTo(0.6 - 1e-9);
			assertThat(SystemActor.call(() -> this.mappings.history("ahs-v2", "map", item.oldKey())))
				.extracting(HistoryEntry::action)
				.endsWith("decided");
		});
		assertThat(SystemActor.call(() -> this.mappings.bulkPreview("ahs-v2", "map", Queue.AMBIGUOUS, 0.6)).accepted())
			.isZero();
		assertThatThrownBy(() -> SystemActor.call(() -> this.mappings.bulkPreview("ahs-v2", "map", Queue.DECIDED, 0.6)))
			.isInstanceOf(InvalidException.class);
	}

	@Test
	void theDryRunWritesMappingCsvAndTheDownloadIsTheMapAsItStands() throws Exception {
		long runId = SystemActor.call(() -> this.mappings.latestRun("ahs-v2", "map")).orElseThrow();
		Path reports = dir.resolve("reports/ahs-v2/map/" + runId);
		List<String> written = java.nio.file.Files.readAllLines(reports.resolve("mapping.csv"));
		assertThat(written.get(0)).isEqualTo(
				"old_key,status,new_key,computed_status,best_score,candidates,decided_by,reason,old_name,old_year,"
						+ "old_hybridizer_code");
		assertThat(written).hasSize(20_001);
		assertThat(runId).isEqualTo(this.dryRun.id());
		// every record the import wrote
		assertThat(java.nio.file.Files.readString(reports.resolve("summary.json"))).contains("\"oldRows\":20000",
				"\"newRows\":49982", "\"auto\":19420", "\"conflict\":0", "\"bestScoreHistogram\":[");

		// the download is the map as it stands: with a reviewer's pick and exclusion
		MappingItem ambiguous = firstOpen(Queue.AMBIGUOUS);
		String pick = ambiguous.candidates().get(0).newKey();
		SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", ambiguous.oldKey(),
				new DecisionCommand(MatchStatus.MANUAL, pick, null, 0)));
		MappingItem unresolved = firstOpen(Queue.UNRESOLVED);
		SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", unresolved.oldKey(),
				new DecisionCommand(MatchStatus.EXCLUDED, null, "no such cultivar", 0)));

		java.io.StringWriter now = new java.io.StringWriter();
		SystemActor.run(() -> this.mappings.writeCsv("ahs-v2", "map", now));
		List<String> lines = now.toString().lines().toList();
		assertThat(lines).hasSize(20_001);
		Coverage coverage = coverage();
		assertThat(coverage.manual()).isEqualTo(1);
		assertThat(coverage.excluded()).isEqualTo(1);
		assertThat(lines).filteredOn(line -> line.split(",", -1)[1].equals("manual"))
			.singleElement()
			.satisfies(line -> assertThat(line).startsWith(ambiguous.oldKey() + ",manual," + pick + ","));
		assertThat(lines).filteredOn(line -> line.split(",", -1)[1].equals("excluded"))
			.singleElement()
			.satisfies(line -> assertThat(line).startsWith(unresolved.oldKey() + ",excluded,"));
		assertThat(lines).filteredOn(line -> line.startsWith("old_key") || line.split(",", -1)[1].equals("auto"))
			.as("auto lines name the record they map to")
			.allSatisfy(line -> assertThat(line.startsWith("old_key") || !line.split(",", -1)[2].isEmpty()).isTrue());
	}

	@Test
	void applyWritesTheMapIntoTheIntoTableAndRollbackEmptiesItAgain() throws Exception {
		// the phase's gates lock the apply: coverage under 98%, open items, and no
		// preflight baseline for the listings
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request("ahs-v2", "map", RunMode.APPLY)))
			.isInstanceOfSatisfying(RefusedException.class,
					refused -> assertThat(refused.getReasons())
						.anySatisfy(reason -> assertThat(reason).startsWith("Gate coverage fails: 97.")
							.contains("needs at least 98%"))
						.anySatisfy(reason -> assertThat(reason).startsWith("Gate none-open fails: "))
						.anySatisfy(reason -> assertThat(reason).startsWith("Gate listings-intact is not measured"))
						.anySatisfy(reason -> assertThat(reason).contains("needs 1 operator approval(s)")));
		assertThat(SystemActor.call(() -> this.runs.applyLocks("ahs-v2", "map"))).hasSize(4);
		assertThat(run("preflight", RunMode.DRY_RUN).state()).isEqualTo(RunState.SUCCEEDED);
		// a reviewer maps one ambiguous item to its first candidate, and says "no match"
		// to every other open item
		MappingItem picked = firstOpen(Queue.AMBIGUOUS);
		SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", picked.oldKey(),
				new DecisionCommand(MatchStatus.MANUAL, picked.candidates().get(0).newKey(), null, 0)));
		for (Queue queue : List.of(Queue.AMBIGUOUS, Queue.UNRESOLVED, Queue.CONFLICT)) {
			for (MappingItem open : SystemActor.call(() -> this.mappings.items("ahs-v2", "map", queue, null, null, 500))
				.items()) {
				SystemActor.call(() -> this.mappings.decide("ahs-v2", "map", open.oldKey(),
						new DecisionCommand(MatchStatus.EXCLUDED, null, "no such cultivar", open.version())));
			}
		}
		Coverage coverage = coverage();
		assertThat(coverage.open()).isZero();
		assertThat(coverage.manual()).isEqualTo(1);
		RunView apply = run("map", RunMode.APPLY);
		assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(apply.counts().inserted()).isEqualTo(coverage.auto() + coverage.manual());
		javax.sql.DataSource app = SystemActor.call(() -> this.app.getBean(ConnectionService.class).dataSource("app"));
		try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
			java.sql.ResultSet counts = s.executeQuery("SELECT status, count(*), min(confidence), max(confidence) "
					+ "FROM AhsListingV2Map GROUP BY status ORDER BY status");
			assertThat(counts.next()).isTrue();
			assertThat(counts.getString(1)).isEqualTo("auto");
			assertThat(counts.getLong(2)).isEqualTo(coverage.auto());
			assertThat(counts.getBigDecimal(3)).as("every demo auto scores 1").isEqualByComparingTo("1");
			assertThat(counts.next()).isTrue();
			assertThat(counts.getString(1)).isEqualTo("manual");
			assertThat(counts.getLong(2)).isEqualTo(coverage.manual());
			assertThat(counts.next()).isFalse();
		}
		// each pick is where the reviewer put it
		for (MappingItem item : SystemActor
			.call(() -> this.mappings.items("ahs-v2", "map", Queue.DECIDED, null, null, 500))
			.items()) {
			try (Connection c = app.getConnection();
					java.sql.PreparedStatement select = c
						.prepareStatement("SELECT new_id, status FROM AhsListingV2Map WHERE old_id = ?")) {
				select.setLong(1, Long.parseLong(item.oldKey()));
				java.sql.ResultSet row = select.executeQuery();
				if (item.status() == MatchStatus.MANUAL) {
					assertThat(row.next()).isTrue();
					assertThat(row.getString(1)).isEqualTo(item.newKey());
					assertThat(row.getString(2)).isEqualTo("manual");
				}
				else {
					assertThat(row.next()).as("excluded: no row").isFalse();
				}
			}
		}

		RunView rollback = SystemActor.call(() -> this.runs.rollback(apply.id()));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(rollback.id())).state().active(), "the rollback");
		RunView undone = SystemActor.call(() -> this.runs.get(rollback.id()));
		assertThat(undone.state()).as(String.valueOf(undone.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(SystemActor.call(() -> this.runs.result(rollback.id(), "checksum")).orElseThrow())
			.contains("\"same\": true");
		try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
			java.sql.ResultSet count = s.executeQuery("SELECT count(*) FROM AhsListingV2Map");
			count.next();
			assertThat(count.getLong(1)).isZero();
		}
	}

	private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
		String port = this.app.getEnvironment().getProperty("local.server.port");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", "Basic " + java.util.Base64.getEncoder()
				.encodeToString((user + ":demo-password-for-tests").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
			.header("Accept", "application/json");
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode json(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		return this.app.getBean(JsonMapper.class).readTree(response.body());
	}

	private MappingItem firstOpen(Queue queue) {
		List<MappingItem> items = SystemActor.call(() -> this.mappings.items("ahs-v2", "map", queue, null, null, 1))
			.items();
		assertThat(items).isNotEmpty();
		return items.get(0);
	}

	private Coverage coverage() {
		return SystemActor.call(() -> this.mappings.coverage("ahs-v2", "map")).orElseThrow();
	}

	private RunView run(String phase, RunMode mode) {
		RunView run = (mode == RunMode.APPLY) ? Actors.requestApply(this.runs, this.approvals, "ahs-v2", phase)
				: SystemActor.call(() -> this.runs.request("ahs-v2", phase, mode));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(run.id())).state().active(), "run #" + run.id());
		return SystemActor.call(() -> this.runs.get(run.id()));
	}

}
