package dev.ferry.importing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.run.RunCounts;
import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.gate.ApprovalService;
import dev.ferry.support.Actors;
import dev.ferry.FerryApplication;
import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeProfile;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.Rejection;
import dev.ferry.connection.ConnectionService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.BatchHold;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo plan as a new user meets it, in a workspace of its own: after the schema phase
 * is applied, the import dry run finds the 18 planted rejected rows with their column,
 * value and rule, would insert every other cultivar, and leaves every table of the target
 * exactly as it was.
 */
@Tag("integration")
class DemoImportIntegrationTests {

	@TempDir
	Path dir;

	@Test
	void theDryRunShowsThePlantedRejectsAndWritesNothing() throws Exception {
		try (ConfigurableApplicationContext app = start(this.dir)) {
			RunService runs = app.getBean(RunService.class);
			ConnectionService connections = app.getBean(ConnectionService.class);
			ChangeSetService changeSets = app.getBean(ChangeSetService.class);

			RunView schema = finished(runs,
					Actors.requestApply(runs, app.getBean(ApprovalService.class), "ahs-v2", "schema"));
			assertThat(schema.state()).as(String.valueOf(schema.error())).isEqualTo(RunState.SUCCEEDED);
			Map<String, String> before = checksums(connections);

			RunView dryRun = finished(runs, SystemActor.call(() -> runs.request("ahs-v2", "import", RunMode.DRY_RUN)));

			assertThat(dryRun.state()).as(String.valueOf(dryRun.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(checksums(connections)).as("every table of the target, before and after the dry run")
				.isEqualTo(before);
			assertThat(dryRun.counts()).isEqualTo(new RunCounts(50_000, 49_982, 0, 0, 0, 18, 0));
			assertThat(dryRun.changeSetSha256()).hasSize(64);

			List<Rejection> reasons = new ArrayList<>();
			ChangePage page = SystemActor
				.call(() -> changeSets.changes(dryRun.id(), new ChangeFilter(ChangeOp.REJECTED, null, null), null, 50));
			assertThat(page.next()).isNull();
			assertThat(page.items()).hasSize(18);
			for (Change change : page.items()) {
				assertThat(change.reasons()).hasSize(1);
				reasons.addAll(change.reasons());
			}
			assertThat(reasons).filteredOn(r -> r.column().equals("name"))
				.hasSize(6)
				.allSatisfy(r -> assertThat(r.rule()).isEqualTo("required"));
			assertThat(reasons).filteredOn(r -> r.column().equals("year"))
				.hasSize(6)
				.extracting(Rejection::value)
				.isSubsetOf("19x5", "circa 1990", "199O", "c1985", "1990s", "unknown");
			assertThat(reasons).filteredOn(r -> r.column().equals("year"))
				.allSatisfy(r -> assertThat(r.rule()).isEqualTo("type integer"));
			assertThat(reasons).filteredOn(r -> r.column().equals("fragrant"))
				.hasSize(6)
				.extracting(Rejection::value)
				.isSubsetOf("maybe", "sometimes", "slight", "yes?", "very", "faint");
			assertThat(reasons).filteredOn(r -> r.column().equals("fragrant"))
				.allSatisfy(r -> assertThat(r.rule()).isEqualTo("type boolean"));
			assertThat(reasons).allSatisfy(r -> assertThat(r.message()).startsWith(r.column() + ":"));

			Change insert = SystemActor
				.call(() -> changeSets.changes(dryRun.id(), new ChangeFilter(ChangeOp.INSERT, null, null), null, 1))
				.items()
				.get(0);
			assertThat(insert.key()).containsOnlyKeys("id");
			assertThat(insert.after()).containsOnlyKeys("id", "name", "hybridizer", "year", "fragrant");
		}
	}

	@AfterEach
	void disarm() {
		BatchHold.disarm();
	}

	@Test
	void aDryRunInterruptedByAShutdownStartsOverAndFindsTheSameChangeSet() throws Exception {
		long runId;
		// held after its third batch of 500 source rows, so the context closes mid-run
		BatchHold.Hold held = BatchHold.afterBatches("ahs-v2", "import", RunMode.DRY_RUN, 3);
		try (ConfigurableApplicationContext first = start(this.dir, "--ferry.import.dry-run-batch-rows=500")) {
			RunService runs = first.getBean(RunService.class);
			finished(runs, Actors.requestApply(runs, first.getBean(ApprovalService.class), "ahs-v2", "schema"));
			runId = SystemActor.call(() -> runs.request("ahs-v2", "import", RunMode.DRY_RUN)).id();
			assertThat(held.awaitHeld()).isEqualTo(runId);
			assertThat(SystemActor.call(() -> runs.get(runId)).done()).isEqualTo(3 * 500);
		}
		assertThat(held.awaitOver()).as("the dry run was handed back at the shutdown").isTrue();
		try (ConfigurableApplicationContext second = start(this.dir, "--ferry.import.dry-run-batch-rows=500")) {
			RunService runs = second.getBean(RunService.class);
			RunView resumed = finished(runs, SystemActor.call(() -> runs.get(runId)));
			assertThat(resumed.state()).as(String.valueOf(resumed.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(resumed.counts()).as("counted once, not once per start")
				.isEqualTo(new RunCounts(50_000, 49_982, 0, 0, 0, 18, 0));
			assertThat(resumed.done()).isEqualTo(50_000);
			assertThat(SystemActor.call(() -> runs.log(runId))).extracting(RunLogLine::message)
				.anySatisfy(line -> assertThat(line).contains("starts over from the first row"))
				.filteredOn(line -> line.startsWith("Resumed after"))
				.containsExactly("Resumed after 3 committed batch(es).");
			ChangeSetService changeSets = second.getBean(ChangeSetService.class);
			assertThat(SystemActor.call(() -> changeSets.get(runId)).rowCount()).isEqualTo(49_982 + 18);

			RunView again = finished(runs, SystemActor.call(() -> runs.request("ahs-v2", "import", RunMode.DRY_RUN)));
			assertThat(again.changeSetSha256()).as("an uninterrupted dry run finds the same change set")
				.isEqualTo(resumed.changeSetSha256());
		}
	}

	/** An order-independent sha256 of every row of every table of the demo target. */
	/** The import phase of ahs-v2, alone, onto the table ahs-v2 loaded. */
	static final String SECOND_DELIVERY = """
			plan: second-delivery
			source: cultivars
			target: app
			phases:
			  - id: import
			    kind: import
			    query: SELECT id, name, hybridizer, year, fragrance FROM cultivars
			    table: AhsListingV2
			    key: [id]
			    columns:
			      id:         { type: integer }
			      name:       { normalize: [trim, collapse-spaces], required: true }
			      hybridizer: { normalize: [trim, upper], null-if: ["", "N/A", "UNKNOWN"] }
			      year:       { type: integer, null-if: [""] }
			      fragrant:   { from: fragrance, type: boolean }
			gates: []
			""";

	@Test
	void theSecondDeliverysDryRunProfilesTheColumnsItChanges() throws Exception {
		try (ConfigurableApplicationContext app = start(this.dir)) {
			RunService runs = app.getBean(RunService.class);
			ApprovalService approvals = app.getBean(ApprovalService.class);
			ChangeSetService changeSets = app.getBean(ChangeSetService.class);
			finished(runs, Actors.requestApply(runs, approvals, "ahs-v2", "schema"));
			RunView first = finished(runs, Actors.requestApply(runs, approvals, "ahs-v2", "import"));
			assertThat(first.state()).as(String.valueOf(first.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(dev.ferry.demo.internal.CultivarDataset
				.deliverSecondBatch(dev.ferry.demo.internal.CultivarDataset.sourceFile(this.dir))).isPresent();

			// ahs-v2's own import stands (a new dry run of it waits for its rollback):
			// the
			// later delivery is read by a plan of the same import onto the loaded table
			SystemActor.run(() -> app.getBean(dev.ferry.plan.PlanService.class)
				.save(null, SECOND_DELIVERY.getBytes(java.nio.charset.StandardCharsets.UTF_8),
						dev.ferry.plan.PlanOrigin.API));
			RunView dryRun = finished(runs,
					SystemActor.call(() -> runs.request("second-delivery", "import", RunMode.DRY_RUN)));
			assertThat(dryRun.state()).as(String.valueOf(dryRun.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(dryRun.counts().updated()).isEqualTo(150);
			assertThat(dryRun.counts().inserted()).isEqualTo(40);
			assertThat(dryRun.changeSetSha256()).isEqualTo(SECOND_DELIVERY_SHA256);
			ChangeProfile profile = SystemActor.call(() -> changeSets.profile(dryRun.id())).orElseThrow();
			// the planted changes: 50 hybridizers filled in, 50 fragrances corrected, 50
			// names re-cased
			assertThat(profile.updated()).extracting(ChangeProfile.Updated::column, ChangeProfile.Updated::rows)
				.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("hybridizer", 50L),
						org.assertj.core.groups.Tuple.tuple("fragrant", 50L),
						org.assertj.core.groups.Tuple.tuple("name", 50L));
			// and each column's most common changes say what was planted: hybridizers
			// filled
			// in where nothing was said, fragrances flipped, names re-cased
			assertThat(top(profile, "hybridizer")).isNotEmpty()
				.allSatisfy(pair -> assertThat(pair.before()).isNull())
				.allSatisfy(pair -> assertThat(pair.after()).isNotBlank());
			assertThat(top(profile, "fragrant")).isNotEmpty()
				.allSatisfy(pair -> assertThat(pair.after()).isNotEqualTo(pair.before()))
				.allSatisfy(pair -> assertThat(pair.after()).isIn("true", "false"));
			assertThat(top(profile, "name")).isNotEmpty()
				.allSatisfy(pair -> assertThat(pair.after()).isEqualToIgnoringCase(pair.before())
					.isNotEqualTo(pair.before()));
			assertThat(profile.inserted()).allSatisfy(column -> assertThat(column.rows()).isEqualTo(40));
			ChangeProfile.Inserted ids = profile.inserted()
				.stream()
				.filter(c -> c.column().equals("id"))
				.findFirst()
				.orElseThrow();
			assertThat(ids.distinct()).isEqualTo(40);
			assertThat(ids.nulls()).isZero();
		}
	}

	/**
	 * The second delivery's change set as it was before change sets listed target rows
	 * without a source row (issue 21): its sha256 must not move.
	 */
	static final String SECOND_DELIVERY_SHA256 = "e321c609b461ca24d04c84cf53801a7608881b67d25ffa401c7a70312049cb26";

	@Test
	void targetRowsTheSourceNoLongerHasAreKeptListedAndNoChange() throws Exception {
		try (ConfigurableApplicationContext app = start(this.dir)) {
			RunService runs = app.getBean(RunService.class);
			ApprovalService approvals = app.getBean(ApprovalService.class);
			ChangeSetService changeSets = app.getBean(ChangeSetService.class);
			ConnectionService connections = app.getBean(ConnectionService.class);
			finished(runs, Actors.requestApply(runs, approvals, "ahs-v2", "schema"));
			RunView first = finished(runs, Actors.requestApply(runs, approvals, "ahs-v2", "import"));
			assertThat(first.state()).as(String.valueOf(first.error())).isEqualTo(RunState.SUCCEEDED);
			Path source = dev.ferry.demo.internal.CultivarDataset.sourceFile(this.dir);
			assertThat(dev.ferry.demo.internal.CultivarDataset.deliverSecondBatch(source)).isPresent();
			SystemActor.run(() -> app.getBean(dev.ferry.plan.PlanService.class)
				.save(null, SECOND_DELIVERY.getBytes(StandardCharsets.UTF_8), dev.ferry.plan.PlanOrigin.API));

			RunView whole = finished(runs,
					SystemActor.call(() -> runs.request("second-delivery", "import", RunMode.DRY_RUN)));
			assertThat(whole.state()).as(String.valueOf(whole.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(whole.changeSetSha256()).isEqualTo(SECOND_DELIVERY_SHA256);
			assertThat(SystemActor.call(() -> changeSets.get(whole.id())).totals().kept()).isZero();

			// the supplier withdraws 20 cultivars the target holds as they were delivered
			java.util.Set<Object> changed = new java.util.HashSet<>();
			SystemActor.call(() -> changeSets.changes(whole.id(), ChangeFilter.ALL, null, 500))
				.items()
				.forEach(change -> changed.add(change.key().get("id")));
			assertThat(changed).hasSize(150 + 40 + 18);
			List<Long> withdrawn = new ArrayList<>();
			for (long id = 101; withdrawn.size() < 20; id += 2_417) {
				if (!changed.contains(id)) {
					withdrawn.add(id);
				}
			}
			try (Connection sqlite = java.sql.DriverManager.getConnection("jdbc:sqlite:" + source.toAbsolutePath());
					java.sql.PreparedStatement delete = sqlite.prepareStatement("DELETE FROM cultivars WHERE id = ?")) {
				for (long id : withdrawn) {
					delete.setLong(1, id);
					assertThat(delete.executeUpdate()).as("cultivar %d", id).isEqualTo(1);
				}
			}

			RunView dryRun = finished(runs,
					SystemActor.call(() -> runs.request("second-delivery", "import", RunMode.DRY_RUN)));
			assertThat(dryRun.state()).as(String.valueOf(dryRun.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(dryRun.counts()).isEqualTo(new RunCounts(50_040 - 20, 40, 150, 49_832 - 20, 0, 18, 0));
			assertThat(dryRun.changeSetSha256()).as("the same changes: a kept row is none")
				.isEqualTo(SECOND_DELIVERY_SHA256);
			dev.ferry.changeset.ChangeSet changeSet = SystemActor.call(() -> changeSets.get(dryRun.id()));
			assertThat(changeSet.totals().kept()).isEqualTo(20);
			assertThat(changeSet.totals().targetRows()).isEqualTo(49_982);
			assertThat(changeSet.totals().projectedTargetRows()).isEqualTo(49_982 + 40);
			assertThat(changeSet.rowCount()).isEqualTo(150 + 40 + 18);
			assertThat(SystemActor.call(() -> runs.log(dryRun.id()))).extracting(RunLogLine::message)
				.contains("20 rows of AhsListingV2 have no source row: they are kept, because delete-missing is off.");

			// listed on their own, in key order, with the values they keep
			dev.ferry.changeset.ChangeWindow kept = SystemActor.call(() -> changeSets.window(dryRun.id(),
					new ChangeFilter(ChangeOp.KEPT, null, null), null, null, false, 50));
			assertThat(kept.total()).isEqualTo(20);
			assertThat(kept.next()).isNull();
			assertThat(kept.items()).extracting(change -> ((Number) change.key().get("id")).longValue())
				.containsExactlyElementsOf(withdrawn);
			assertThat(kept.items()).allSatisfy(change -> {
				assertThat(change.op()).isEqualTo(ChangeOp.KEPT);
				assertThat(change.after()).isNull();
				assertThat(change.before()).containsKeys("id", "name", "hybridizer", "year", "fragrant");
				assertThat(change.before().get("name")).isNotNull();
			});
			// and never among the changes: the list, what an apply reads, the downloads
			dev.ferry.changeset.ChangeWindow all = SystemActor
				.call(() -> changeSets.window(dryRun.id(), ChangeFilter.ALL, null, null, false, 500));
			assertThat(all.total()).isEqualTo(208);
			assertThat(all.items()).hasSize(208).noneMatch(change -> change.op() == ChangeOp.KEPT);
			assertThat(SystemActor.call(() -> changeSets.stored(dryRun.id(), 0, 1_000))).hasSize(208)
				.noneMatch(change -> change.op() == ChangeOp.KEPT);
			java.io.StringWriter csv = new java.io.StringWriter();
			SystemActor.run(() -> changeSets.writeCsv(dryRun.id(), csv));
			assertThat(csv.toString().split("\r\n")).hasSize(1 + 208);
			String summary = SystemActor.call(() -> changeSets.summaryJson(dryRun.id()));
			assertThat((Integer) com.jayway.jsonpath.JsonPath.read(summary, "$.counts.kept")).isEqualTo(20);
			assertThat((Integer) com.jayway.jsonpath.JsonPath.read(summary, "$.changeRows")).isEqualTo(208);

			// the apply writes the changes and leaves the kept rows as they are; its
			// rollback restores the table
			Map<String, String> beforeApply = checksums(connections);
			List<String> keptRows = rows(connections, withdrawn);
			RunView apply = finished(runs, Actors.requestApply(runs, approvals, "second-delivery", "import"));
			assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(apply.counts()).isEqualTo(new RunCounts(208, 40, 150, 0, 0, 18, 0));
			assertThat(rows(connections, withdrawn)).hasSize(20).isEqualTo(keptRows);
			assertThat(checksums(connections).get("AHSLISTINGV2")).startsWith((49_982 + 40) + " rows ");
			RunView rollback = finished(runs, SystemActor.call(() -> runs.rollback(apply.id())));
			assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
			assertThat(checksums(connections)).isEqualTo(beforeApply);
		}
	}

	/** The rows of AhsListingV2 with these ids, as text, in id order. */
	private static List<String> rows(ConnectionService connections, List<Long> ids) throws Exception {
		List<String> rows = new ArrayList<>();
		try (Connection c = SystemActor.call(() -> connections.dataSource("app")).getConnection();
				java.sql.PreparedStatement select = c.prepareStatement("SELECT * FROM AHSLISTINGV2 WHERE ID = ?")) {
			for (long id : ids) {
				select.setLong(1, id);
				try (ResultSet rs = select.executeQuery()) {
					while (rs.next()) {
						StringBuilder row = new StringBuilder();
						for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) {
							row.append(rs.getString(k)).append('\u001f');
						}
						rows.add(row.toString());
					}
				}
			}
		}
		return rows;
	}

	private static List<ChangeProfile.Pair> top(ChangeProfile profile, String column) {
		return profile.updated()
			.stream()
			.filter(updated -> updated.column().equals(column))
			.findFirst()
			.orElseThrow()
			.top();
	}

	private static Map<String, String> checksums(ConnectionService connections) throws Exception {
		Map<String, String> sums = new LinkedHashMap<>();
		try (Connection c = SystemActor.call(() -> connections.dataSource("app")).getConnection()) {
			for (String table : List.of("AHSLISTING", "LISTING", "AHSLISTINGV2", "AHSLISTINGV2MAP")) {
				MessageDigest total = MessageDigest.getInstance("SHA-256");
				List<String> rows = new ArrayList<>();
				try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
					int columns = rs.getMetaData().getColumnCount();
					while (rs.next()) {
						StringBuilder row = new StringBuilder();
						for (int k = 1; k <= columns; k++) {
							row.append(rs.getString(k)).append('\u001f');
						}
						rows.add(row.toString());
					}
				}
				rows.sort(null);
				rows.forEach(row -> total.update(row.getBytes(StandardCharsets.UTF_8)));
				sums.put(table, rows.size() + " rows " + HexFormat.of().formatHex(total.digest()));
			}
		}
		return sums;
	}

	private static RunView finished(RunService runs, RunView run) {
		Await.until(() -> !SystemActor.call(() -> runs.get(run.id())).state().active(), "run #" + run.id());
		return SystemActor.call(() -> runs.get(run.id()));
	}

	private static ConfigurableApplicationContext start(Path dir, String... more) {
		String store = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
		// command-line arguments, so they win over the test profile's own settings
		List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + store, "--server.port=0",
				"--ferry.data-dir=" + dir.toAbsolutePath(), "--db-scheduler.polling-interval=200ms",
				"--db-scheduler.heartbeat-interval=1s"));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(FerryApplication.class, BatchHold.class).profiles("test")
			.run(args.toArray(String[]::new));
	}

}
