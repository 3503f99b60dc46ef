package dev.ferry.demo.internal;

import java.nio.file.Path;
import java.util.List;

import dev.ferry.FerryApplication;
import dev.ferry.gate.ApprovalService;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Suggestions and the similarity search on the demo's 270 misspelled legacy listings
 * (docs/demo-data.md): the planting says which cultivar each was misspelled from, so the
 * test knows the right new record of each. It lives beside the planting to read it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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
