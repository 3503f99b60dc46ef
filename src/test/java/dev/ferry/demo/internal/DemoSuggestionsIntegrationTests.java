package dev.ferry.demo.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import dev.ferry.FerryApplication;
import dev.ferry.gate.ApprovalService;
import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Suggestion;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.ConsoleSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Suggestions and the similarity search on the demo's 270 misspelled legacy listings
 * (docs/demo-data.md): the planting says which cultivar each was misspelled from, so the
 * test knows the right new record of each. It lives beside the planting to read it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class DemoSuggestionsIntegrationTests {

	@TempDir
	static Path dir;

	ConfigurableApplicationContext app;

	MappingService mappings;

	/** The misspelled legacy listings, as planted. */
	List<Planting.LegacyListing> misspelled;

	@BeforeAll
	void applyTheImportAndMap() {
		String store = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
		this.app = new SpringApplicationBuilder(FerryApplication.class).profiles("test")
			.run("--spring.datasource.url=" + store, "--server.port=0", "--ferry.data-dir=" + dir.toAbsolutePath(),
					"--db-scheduler.polling-interval=200ms", "--db-scheduler.heartbeat-interval=1s",
					"--ferry.mapping.sort-chunk-records=3000", "--ferry.mapping.suggest-pass-records=100");
		this.mappings = this.app.getBean(MappingService.class);
		assertThat(run("schema", RunMode.APPLY).state()).isEqualTo(RunState.SUCCEEDED);
		assertThat(run("import", RunMode.DRY_RUN).state()).isEqualTo(RunState.SUCCEEDED);
		assertThat(run("import", RunMode.APPLY).state()).isEqualTo(RunState.SUCCEEDED);
		RunView map = run("map", RunMode.DRY_RUN);
		assertThat(map.state()).as(String.valueOf(map.error())).isEqualTo(RunState.SUCCEEDED);
		this.misspelled = Planting.plant(CultivarDataset.DEFAULT_SEED).legacyListings.stream()
			.filter(listing -> listing.outcome() == Planting.Outcome.UNRESOLVED_MISSPELLED)
			.toList();
		assertThat(this.misspelled).hasSize(DemoFigures.UNRESOLVED_MISSPELLED);
	}

	@AfterAll
	void stop() {
		this.app.close();
	}

	@Test
	void theRightNewRecordIsTheFirstSuggestionOfAlmostEveryMisspelledName() {
		int first = 0;
		int inTopFive = 0;
		for (Planting.LegacyListing listing : this.misspelled) {
			MappingItem item = item(listing.id());
			assertThat(item.computed()).isEqualTo(MatchStatus.UNRESOLVED);
			assertThat(item.candidates()).isEmpty();
			assertThat(item.suggestions()).hasSizeBetween(1, Suggestion.KEPT);
			// closest first; each with its tie-breakers' breakdown (year, hybridizer)
			assertThat(item.suggestions()).extracting(Suggestion::similarity)
				.isSortedAccordingTo(java.util.Comparator.reverseOrder());
			assertThat(item.suggestions()).allSatisfy(suggestion -> assertThat(suggestion.breakdown()).hasSize(2));
			String right = Integer.toString(listing.cultivarId());
			if (item.suggestions().get(0).newKey().equals(right)) {
				first++;
				// planted with the cultivar's own year and hybridizer
				assertThat(item.suggestions().get(0).breakdown()).containsExactly(1.0, 1.0);
			}
			else {
				System.out.println("[miss] " + listing.name() + " right " + right + " got " + item.suggestions());
			}
			if (item.suggestions().stream().anyMatch(suggestion -> suggestion.newKey().equals(right))) {
				inTopFive++;
			}
		}
		System.out.printf(
				"[suggestions] right new record first for %d of %d misspelled names (%.1f%%), "
						+ "among the five for %d%n",
				first, this.misspelled.size(), 100.0 * first / this.misspelled.size(), inTopFive);
		assertThat(first).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * this.misspelled.size()));
	}

	@Test
	void theRejectedNamesAndTheOtherItemsHaveNoSuggestionsThatPretendToBeCandidates() {
		Planting.LegacyListing resolved = Planting.plant(CultivarDataset.DEFAULT_SEED).legacyListings.stream()
			.filter(listing -> listing.outcome() == Planting.Outcome.AUTO_SINGLE)
			.findFirst()
			.orElseThrow();
		assertThat(item(resolved.id()).suggestions()).isEmpty();
	}

	@Test
	void searchingForTheMisspelledNameFindsTheRightRecordFirst() {
		int first = 0;
		long[] nanos = new long[this.misspelled.size()];
		int searched = 0;
		for (Planting.LegacyListing listing : this.misspelled) {
			long start = System.nanoTime();
			List<Candidate> found = SystemActor
				.call(() -> this.mappings.search("ahs-v2", "map", listing.name(), Integer.toString(listing.id()), 20));
			nanos[searched++] = System.nanoTime() - start;
			if (!found.isEmpty() && found.get(0).newKey().equals(Integer.toString(listing.cultivarId()))) {
				first++;
			}
			else {
				System.out.println("[miss] search " + listing.name() + " right " + listing.cultivarId() + " got "
						+ found.stream().limit(3).map(c -> c.newKey() + " " + c.record()).toList());
			}
		}
		Arrays.sort(nanos);
		// a name can be typed so short that another contains it ("purple fie" is in
		// "Purple Fiesta"): names containing what was typed come first
		System.out.printf(
				"[suggestions] search: right new record first for %d of %d misspelled names (%.1f%%); median %.1f ms "
						+ "a search (not asserted)%n",
				first, this.misspelled.size(), 100.0 * first / this.misspelled.size(), nanos[nanos.length / 2] / 1e6);
		assertThat(first).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * this.misspelled.size()));
		// and a fragment still finds the records that contain it
		Planting.LegacyListing one = this.misspelled.get(0);
		String word = item(one.id()).suggestions().get(0).record().get(0).strip().split("\\s+")[0];
		List<Candidate> found = SystemActor.call(() -> this.mappings.search("ahs-v2", "map", word, null, 20));
		assertThat(found).isNotEmpty();
		assertThat(found.get(0).record().get(0)).containsIgnoringCase(word);
	}

	@Test
	void theItemApiAndTheReviewPageOfferTheSuggestionsAndOneCanBePicked() throws Exception {
		Planting.LegacyListing listing = this.misspelled.get(0);
		String right = Integer.toString(listing.cultivarId());
		JsonNode item = this.app.getBean(JsonMapper.class)
			.readTree(send("viewer", "/api/v1/plans/ahs-v2/phases/map/mapping/" + listing.id()).body());
		assertThat(item.get("candidates")).isEmpty();
		JsonNode first = item.get("suggestions").get(0);
		assertThat(first.get("newKey").asString()).isEqualTo(right);
		assertThat(first.get("similarity").asDouble()).isBetween(0.8, 1.0);
		assertThat(first.get("score").asDouble()).isEqualTo(1.0);
		assertThat(first.get("breakdown").get("year").asDouble()).isEqualTo(1.0);
		assertThat(first.get("record").get("name").asString()).isNotBlank();

		MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) this.app)
			.apply(SecurityMockMvcConfigurers.springSecurity())
			.build();
		MockHttpSession session = ConsoleSession.signIn(mvc, "reviewer");
		String page = mvc
			.perform(get("/plans/ahs-v2/phases/map/queue/item").param("key", Integer.toString(listing.id()))
				.param("status", "unresolved")
				.session(session))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("id=\"suggestions-note\"")
			.contains("id=\"suggestion-" + right + "\"")
			.contains("name=\"newKey\" value=\"" + right + "\"")
			.contains("data-shortcut=\"1\"");

		MappingItem picked = SystemActor.call(() -> this.mappings.decide("ahs-v2", "map",
				Integer.toString(listing.id()), new DecisionCommand(MatchStatus.MANUAL, right, null, 0)));
		assertThat(picked.status()).isEqualTo(MatchStatus.MANUAL);
		assertThat(picked.newKey()).isEqualTo(right);
	}

	private HttpResponse<String> send(String user, String path) throws Exception {
		String port = this.app.getEnvironment().getProperty("local.server.port");
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString((user + ":demo-password-for-tests").getBytes(StandardCharsets.UTF_8)))
			.header("Accept", "application/json")
			.GET()
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	private MappingItem item(int id) {
		return SystemActor.call(() -> this.mappings.item("ahs-v2", "map", Integer.toString(id)));
	}

	private RunView run(String phase, RunMode mode) {
		RunService runs = this.app.getBean(RunService.class);
		RunView run = (mode == RunMode.APPLY)
				? Actors.requestApply(runs, this.app.getBean(ApprovalService.class), "ahs-v2", phase)
				: SystemActor.call(() -> runs.request("ahs-v2", phase, mode));
		Await.until(() -> !SystemActor.call(() -> runs.get(run.id())).state().active(), "run #" + run.id());
		return SystemActor.call(() -> runs.get(run.id()));
	}

}
