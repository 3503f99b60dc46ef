package dev.ferry.retention;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ferry.changeset.ChangeSetService;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.lifecycle.Action;
import dev.ferry.lifecycle.PhaseLifecycle;
import dev.ferry.mapping.MappingService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.MovableClock;
import dev.ferry.support.PeopleTables;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * Retention with real runs on an H2 target, through the API as an admin: a dry run
 * applied and rolled back, then a second dry run applied and standing. The purge's dry
 * run lists the first dry run's change set (superseded) and the rolled-back apply's
 * before-images with exactly the rows they hold, and keeps the standing apply's
 * before-images and its dry run's change set with their reasons; a purge that names what
 * the standing apply needs is refused (409, nothing deleted); the purge frees exactly
 * what the preview showed (the target's undo table loses exactly that apply's rows), each
 * purge is in the audit log, and the purged change set says so instead of listing rows.
 * With {@code max-age} passed, the standing apply becomes final: its before-images go and
 * its rollback is refused with the purge's reason. A superseded mapping dry run's items
 * go too, the latest stays; only admins may preview or purge.
 */
@FerryAppTest
@Import(MovableClock.class)
class RetentionIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-retention");

	static final int ROWS = 120;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
		registry.add("ferry.retention.max-age", () -> "P30D");
	}

	@TempDir
	static Path files;

	@Autowired
	MockMvc mvc;

	@Autowired
	JsonMapper json;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	ChangeSetService changeSets;

	@Autowired
	MappingService mappings;

	@Autowired
	PhaseLifecycle lifecycle;

	@Autowired
	RetentionService retention;

	@Autowired
	JdbcClient store;

	@Test
	void purgesWhatNothingNeedsShowsWhatItFreedAndRefusesWhatAStandingApplyNeeds() throws Exception {
		String target = importPlan("keep");
		RunView firstDryRun = dryRun("keep", "import");
		RunView firstApply = apply("keep", "import", firstDryRun);
		RunView rollback = Await.finished(this.runs, SystemActor.call(() -> this.runs.rollback(firstApply.id())));
		assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
		RunView dryRun = dryRun("keep", "import");
		RunView apply = apply("keep", "import", dryRun);
		long rolledBackImages = undoImages(target, firstApply.id());
		long standingImages = undoImages(target, apply.id());
		long standingBatches = ledgerRows(target, "ferry_apply_batches", apply.id());
		assertThat(rolledBackImages).as("the rolled-back apply's before-images are still in the target").isPositive();
		assertThat(standingImages).isPositive();
		Map<String, String> table = rows(target);

		// the purge's dry run: what it would free, and what it keeps and why
		JsonNode preview = api("admin", HttpMethod.GET, "/api/v1/admin/retention", null, 200);
		assertThat(preview.path("maxAge").asString()).isEqualTo("PT720H");
		JsonNode supersededRows = item(preview, "purgeable", "change-set", firstDryRun.id());
		assertThat(supersededRows.path("rows").asLong())
			.isEqualTo(SystemActor.call(() -> this.changeSets.get(firstDryRun.id())).rowCount())
			.isPositive();
		assertThat(supersededRows.path("reason").asString())
			.isEqualTo("Superseded: run #" + dryRun.id() + " has a newer change set of phase import.");
		assertThat(supersededRows.path("fileBytes").asLong()).as("its changes.csv")
			.isEqualTo(Files.size(report("keep", firstDryRun.id(), "changes.csv")));
		JsonNode rolledBack = item(preview, "purgeable", "undo-images", firstApply.id());
		assertThat(rolledBack.path("rows").asLong()).isEqualTo(rolledBackImages);
		assertThat(rolledBack.path("tableRows").asLong())
			.isEqualTo(rolledBackImages + ledgerRows(target, "ferry_apply_batches", firstApply.id()) + 1);
		assertThat(rolledBack.path("reason").asString()).isEqualTo("Apply #" + firstApply.id()
				+ " was rolled back by rollback #" + rollback.id() + ": nothing can roll it back again.");
		assertThat(item(preview, "kept", "undo-images", apply.id()).path("reason").asString())
			.startsWith("Apply #" + apply.id() + " stands and can still be rolled back; it becomes final on ");
		assertThat(item(preview, "kept", "change-set", dryRun.id()).path("reason").asString())
			.isEqualTo("Apply #" + apply.id() + " of it stands: what it wrote stays readable while it stands.");
		assertThat(ofPlan(preview.path("purgeable"), "keep")).hasSize(2);

		// what the standing apply needs: refused with the reasons, nothing purged (not
		// even the one that could go)
		long auditBefore = auditHead();
		JsonNode refused = api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge",
				items(new String[] { "undo-images", String.valueOf(apply.id()) },
						new String[] { "change-set", String.valueOf(dryRun.id()) },
						new String[] { "undo-images", String.valueOf(firstApply.id()) }),
				409);
		assertThat(strings(refused.path("reasons"))).satisfiesExactly(
				reason -> assertThat(reason).startsWith("The before-images of run #" + apply.id()
						+ " (keep · import) are kept: Apply #" + apply.id() + " stands and can still be rolled back"),
				reason -> assertThat(reason)
					.isEqualTo("The change set rows of run #" + dryRun.id() + " (keep · import) are kept: Apply #"
							+ apply.id() + " of it stands: what it wrote stays readable while it stands."));
		assertThat(undoImages(target, firstApply.id())).isEqualTo(rolledBackImages);
		assertThat(undoImages(target, apply.id())).isEqualTo(standingImages);
		api("admin", HttpMethod.GET, "/api/v1/runs/" + firstDryRun.id() + "/changes?limit=1", null, 200);
		assertThat(auditHead()).as("a refused purge writes nothing").isEqualTo(auditBefore);

		// the purge frees exactly what its dry run showed
		JsonNode purged = api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge",
				items(new String[] { "change-set", String.valueOf(firstDryRun.id()) },
						new String[] { "undo-images", String.valueOf(firstApply.id()) }),
				200);
		assertThat(purged.path("failed")).isEmpty();
		assertThat(strip(item(purged, "purged", "change-set", firstDryRun.id()))).isEqualTo(strip(supersededRows));
		assertThat(strip(item(purged, "purged", "undo-images", firstApply.id()))).isEqualTo(strip(rolledBack));
		assertThat(purged.path("totals").path("changeRows").asLong()).isEqualTo(supersededRows.path("rows").asLong());
		assertThat(purged.path("totals").path("undoImages").asLong()).isEqualTo(rolledBackImages);
		// in the target, exactly that apply's rows are gone
		assertThat(undoImages(target, firstApply.id())).isZero();
		assertThat(ledgerRows(target, "ferry_apply_batches", firstApply.id())).isZero();
		assertThat(ledgerRows(target, "ferry_applies", firstApply.id())).isZero();
		assertThat(undoImages(target, apply.id())).isEqualTo(standingImages);
		assertThat(ledgerRows(target, "ferry_apply_batches", apply.id())).isEqualTo(standingBatches);
		assertThat(rows(target)).as("the table itself is untouched").isEqualTo(table);
		// in the store: the rows and their CSV are gone, the summary stays and says so
		JsonNode gone = api("admin", HttpMethod.GET, "/api/v1/runs/" + firstDryRun.id() + "/changes", null, 409);
		assertThat(gone.path("error").asString())
			.startsWith("The rows of run #" + firstDryRun.id() + "'s change set were purged on ")
			.contains(" by admin; its summary, totals and sha256 remain.");
		api("admin", HttpMethod.GET, "/api/v1/runs/" + firstDryRun.id() + "/report.csv", null, 409);
		assertThat(api("admin", HttpMethod.GET, "/api/v1/runs/" + firstDryRun.id() + "/report", null, 200)
			.path("changeSetSha256")
			.asString()).isEqualTo(firstDryRun.changeSetSha256());
		assertThat(report("keep", firstDryRun.id(), "changes.csv")).doesNotExist();
		assertThat(report("keep", firstDryRun.id(), "summary.json")).exists();
		api("admin", HttpMethod.GET, "/api/v1/runs/" + dryRun.id() + "/changes?limit=1", null, 200);
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin");
		String page = this.mvc.perform(get("/runs/" + firstDryRun.id() + "/changes").session(admin))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("id=\"changes-purged\"", "were purged on", "by admin")
			.doesNotContain("id=\"changes-list\"");
		String list = this.mvc
			.perform(get("/runs/" + firstDryRun.id() + "/changes").param("op", "update")
				.header("HX-Request", "true")
				.session(admin))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(list).as("a filter asked for in the page once the rows are gone")
			.contains("id=\"changes-list\"", "were purged on")
			.doesNotContain("<table");
		// in the audit log, each with what it freed
		List<JsonNode> audit = new ArrayList<>();
		api("admin", HttpMethod.GET, "/api/v1/audit?action=storage.purged&limit=50", null, 200).path("items")
			.forEach(entry -> {
				if (entry.path("subject").asString().startsWith("keep/")) {
					audit.add(entry);
				}
			});
		assertThat(audit).extracting(entry -> entry.path("subject").asString())
			.containsExactlyInAnyOrder("keep/import run #" + firstDryRun.id(), "keep/import run #" + firstApply.id());
		assertThat(audit).extracting(entry -> entry.path("details").asString())
			.anySatisfy(details -> assertThat(details).startsWith("before-images: freed "
					+ String.format(java.util.Locale.ROOT, "%,d", rolledBackImages) + " row(s)"))
			.anySatisfy(details -> assertThat(details).startsWith("change set rows: freed "
					+ String.format(java.util.Locale.ROOT, "%,d", supersededRows.path("rows").asLong()) + " row(s)"));
		assertThat(audit).extracting(entry -> entry.path("actor").asString()).containsOnly("admin");
		assertThat(api("admin", HttpMethod.GET, "/api/v1/audit/verify", null, 200).path("ok").asBoolean()).isTrue();
		// nothing of the plan is purgeable now; purging it again is refused in words
		assertThat(ofPlan(api("admin", HttpMethod.GET, "/api/v1/admin/retention", null, 200).path("purgeable"), "keep"))
			.isEmpty();
		assertThat(strings(api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge",
				items(new String[] { "undo-images", String.valueOf(firstApply.id()) }), 409)
			.path("reasons")))
			.containsExactly("Run #" + firstApply.id() + " keeps no before-images (none, or purged already).");

		// older than max-age: the standing apply becomes final, and its rollback is
		// refused with the purge's reason
		assertThat(SystemActor.call(() -> this.lifecycle.refusals("keep", "import", Action.ROLLBACK))).isEmpty();
		MovableClock.AHEAD.set(Duration.ofDays(31));
		try {
			PurgePreview later = Actors.as("admin", Role.ADMIN, this.retention::preview);
			StorageItem finalApply = later.purgeable()
				.stream()
				.filter(i -> i.kind() == StorageKind.UNDO_IMAGES && i.runId() == apply.id())
				.findFirst()
				.orElseThrow();
			assertThat(finalApply.reason()).startsWith("Apply #" + apply.id() + " has stood since ")
				.endsWith(", longer than the max-age of 30 days: it is final, and can no longer be rolled back once "
						+ "its before-images are purged.");
			assertThat(later.kept()).as("what it wrote stays readable while it stands")
				.anySatisfy(
						i -> assertThat(i.target()).isEqualTo(new PurgeTarget(StorageKind.CHANGE_SET, dryRun.id())));
			PurgeResult result = Actors.as("admin", Role.ADMIN,
					() -> this.retention.purge(List.of(finalApply.target())));
			assertThat(result.purged()).singleElement()
				.satisfies(freed -> assertThat(freed.rows()).isEqualTo(standingImages));
			assertThat(undoImages(target, apply.id())).isZero();
			String purgedRollback = "The before-images of apply #" + apply.id() + " were purged on ";
			assertThat(SystemActor.call(() -> this.lifecycle.refusals("keep", "import", Action.ROLLBACK)))
				.singleElement()
				.satisfies(reason -> assertThat(reason).startsWith(purgedRollback)
					.endsWith(" by admin: it can no longer be rolled back."));
			assertThat(strings(api("admin", HttpMethod.POST, "/api/v1/runs/" + apply.id() + "/rollback", null, 409)
				.path("reasons"))).anySatisfy(reason -> assertThat(reason).startsWith(purgedRollback));
			assertThat(rows(target)).as("the refused rollback changed nothing").isEqualTo(table);
		}
		finally {
			MovableClock.AHEAD.set(Duration.ZERO);
		}
	}

	@Test
	void aSupersededMappingDryRunsItemsGoAndTheLatestStays() throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("keep-map").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			PeopleTables.create(s);
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("keep-map", url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, ("plan: keep-map\nsource: keep-map\ntarget: keep-map\nphases:\n"
					+ PeopleTables.MAP_PHASE + "gates: []\n")
				.getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		RunView first = dryRun("keep-map", "map");
		RunView latest = dryRun("keep-map", "map");

		JsonNode preview = api("admin", HttpMethod.GET, "/api/v1/admin/retention", null, 200);
		JsonNode superseded = item(preview, "purgeable", "mapping-items", first.id());
		assertThat(superseded.path("rows").asLong()).isEqualTo(4);
		assertThat(superseded.path("reason").asString())
			.isEqualTo("Superseded by dry run #" + latest.id() + " of phase map.");
		assertThat(item(preview, "kept", "mapping-items", latest.id()).path("reason").asString()).isEqualTo(
				"The latest dry run of phase map: its review queue, coverage, gates and approvals read these items.");
		assertThat(strings(api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge",
				items(new String[] { "mapping-items", String.valueOf(latest.id()) }), 409)
			.path("reasons"))).singleElement()
			.satisfies(reason -> assertThat(reason).contains("its review queue, coverage, gates and approvals read"));

		JsonNode purged = api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge",
				items(new String[] { "mapping-items", String.valueOf(first.id()) }), 200);
		assertThat(strip(item(purged, "purged", "mapping-items", first.id()))).isEqualTo(strip(superseded));
		assertThat(itemsOf(first.id())).isZero();
		assertThat(itemsOf(latest.id())).isEqualTo(4);
		assertThat(this.store.sql("SELECT purged_by FROM mapping_runs WHERE run_id = ?")
			.param(first.id())
			.query(String.class)
			.single()).isEqualTo("admin");
		// what reads items reads the latest dry run, untouched
		assertThat(SystemActor.call(() -> this.mappings.coverage("keep-map", "map")).orElseThrow().runId())
			.isEqualTo(latest.id());
		assertThat(api("viewer", HttpMethod.GET, "/api/v1/plans/keep-map/phases/map/mapping?limit=10", null, 200)
			.path("items")).hasSize(4);

		// everything purgeable at once, as the schedule purges: the dry run superseded
		// now
		RunView third = dryRun("keep-map", "map");
		JsonNode all = api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge", "{\"all\": true}", 200);
		assertThat(all.path("failed")).isEmpty();
		assertThat(item(all, "purged", "mapping-items", latest.id()).path("reason").asString())
			.isEqualTo("Superseded by dry run #" + third.id() + " of phase map.");
		assertThat(itemsOf(latest.id())).isZero();
		assertThat(itemsOf(third.id())).isEqualTo(4);
		assertThat(api("admin", HttpMethod.GET, "/api/v1/admin/retention", null, 200).path("purgeable")).isEmpty();
	}

	@Test
	void onlyAdminsMayPreviewOrPurgeAndBadRequestsAreRefusedInWords() throws Exception {
		for (String user : List.of("viewer", "operator", "reviewer", "owner")) {
			api(user, HttpMethod.GET, "/api/v1/admin/retention", null, 403);
			api(user, HttpMethod.POST, "/api/v1/admin/retention/purge", "{\"all\": true}", 403);
		}
		MockHttpServletResponse anonymous = this.mvc.perform(get("/api/v1/admin/retention")).andReturn().getResponse();
		assertThat(anonymous.getStatus()).isEqualTo(401);
		assertThatThrownBy(() -> Actors.as("operator", Role.OPERATOR, this.retention::preview))
			.as("the service checks the role too")
			.isInstanceOf(AccessDeniedException.class);
		assertThatThrownBy(() -> Actors.as("operator", Role.OPERATOR, this.retention::purgeAll))
			.isInstanceOf(AccessDeniedException.class);

		MockHttpSession viewer = ConsoleSession.signIn(this.mvc, "viewer");
		assertThat(this.mvc.perform(get("/admin/retention").session(viewer)).andReturn().getResponse().getStatus())
			.isEqualTo(403);
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin");
		MockHttpServletResponse page = this.mvc.perform(get("/admin/retention").session(admin))
			.andReturn()
			.getResponse();
		assertThat(page.getStatus()).isEqualTo(200);
		assertThat(page.getContentAsString()).contains("id=\"purgeable\"", "id=\"kept\"", "id=\"retention-settings\"",
				"30 days");
		assertThat(this.mvc.perform(post("/admin/retention/purge").param("items", "undo-images:1").session(admin))
			.andReturn()
			.getResponse()
			.getStatus()).as("the form needs its CSRF token").isEqualTo(403);
		MockHttpServletResponse badItem = this.mvc
			.perform(post("/admin/retention/purge").param("items", "nothing:x").session(admin).with(csrf()))
			.andReturn()
			.getResponse();
		assertThat(badItem.getRedirectedUrl()).isEqualTo("/admin/retention");

		assertThat(api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge", "{}", 400).path("error").asString())
			.startsWith("Name the storage to purge as");
		assertThat(api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge",
				"{\"items\": [{\"kind\": \"tables\", \"runId\": 1}]}", 400)
			.path("error")
			.asString()).isEqualTo("'tables' is not a kind of storage: use change-set, mapping-items or undo-images.");
		assertThat(api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge",
				"{\"items\": [{\"kind\": \"change-set\"}]}", 400)
			.path("error")
			.asString()).contains("needs a kind");
		api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge", "{\"items\": [], \"all\": true}", 400);
		api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge", "{\"items\": []}", 400);
		api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge",
				"{\"items\": [{\"kind\": \"change-set\", \"runId\": 987654321}]}", 404);
		api("admin", HttpMethod.POST, "/api/v1/admin/retention/purge", "{not json", 400);
	}

	// --- the import plan ---------------------------------------------------------

	/**
	 * A SQLite source of {@value #ROWS} parts and an H2 target with most of them, some
	 * different; returns the target's JDBC URL.
	 */
	private String importPlan(String plan) throws Exception {
		Path source = files.resolve(plan + "-source.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source)) {
			try (Statement s = c.createStatement()) {
				s.execute("CREATE TABLE parts (code INTEGER, label TEXT)");
			}
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO parts VALUES (?, ?)")) {
				for (int i = 1; i <= ROWS; i++) {
					insert.setInt(1, i);
					insert.setString(2, "Part " + i);
					insert.executeUpdate();
				}
			}
		}
		String target = "jdbc:h2:file:" + files.resolve(plan + "-target").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(target, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE parts (code INTEGER PRIMARY KEY, label VARCHAR(40) NOT NULL)");
			for (int i = 1; i <= ROWS; i++) {
				if (i % 4 != 0) {
					s.execute("INSERT INTO parts VALUES (" + i + ", '" + (i % 3 == 0 ? "Old " : "Part ") + i + "')");
				}
			}
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand(plan + "-source", "jdbc:sqlite:" + source.toAbsolutePath(),
					null, null, true));
			this.connections
				.create(new ConnectionCommand(plan + "-target", target, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, """
					plan: %s
					source: %s-source
					target: %s-target
					phases:
					  - id: import
					    kind: import
					    query: SELECT code, label FROM parts
					    table: parts
					    key: [code]
					    columns:
					      code:  { type: integer }
					      label: { required: true }
					    batch-size: 10
					gates: []
					""".formatted(plan, plan, plan).getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		return target;
	}

	private RunView dryRun(String plan, String phase) {
		return Actors.succeeded(this.runs, this.approvals, plan, phase, RunMode.DRY_RUN);
	}

	/** Applies exactly this dry run: approved by the second operator, then applied. */
	private RunView apply(String plan, String phase, RunView dryRun) {
		Actors.approve(this.approvals, plan, phase, dryRun.id());
		RunView apply = Await.finished(this.runs,
				SystemActor.call(() -> this.runs.request(plan, phase, RunMode.APPLY)));
		assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(apply.appliesRun()).isEqualTo(dryRun.id());
		return apply;
	}

	private long undoImages(String target, long applyRun) throws Exception {
		try (Connection c = DriverManager.getConnection(target, "sa", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables "
						+ "WHERE LOWER(table_name) LIKE 'ferry_undo_parts_%'")) {
			assertThat(rs.next()).as("the undo table of parts").isTrue();
			return count(target, "SELECT COUNT(*) FROM " + rs.getString(1) + " WHERE ferry_run_id = ?", applyRun);
		}
	}

	private long ledgerRows(String target, String table, long applyRun) throws Exception {
		return count(target, "SELECT COUNT(*) FROM " + table + " WHERE run_id = ?", applyRun);
	}

	private static long count(String url, String sql, long runId) throws Exception {
		try (Connection c = DriverManager.getConnection(url, "sa", "");
				PreparedStatement statement = c.prepareStatement(sql)) {
			statement.setLong(1, runId);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	/** The target's parts, code → label. */
	private static Map<String, String> rows(String url) throws Exception {
		Map<String, String> rows = new TreeMap<>();
		try (Connection c = DriverManager.getConnection(url, "sa", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT code, label FROM parts")) {
			while (rs.next()) {
				rows.put(rs.getString(1), rs.getString(2));
			}
		}
		return rows;
	}

	private long itemsOf(long runId) {
		return this.store.sql("SELECT COUNT(*) FROM mapping_items WHERE run_id = ?")
			.param(runId)
			.query(Long.class)
			.single();
	}

	private static Path report(String plan, long runId, String file) {
		return DATA.resolve("reports").resolve(plan).resolve("import").resolve(String.valueOf(runId)).resolve(file);
	}

	private long auditHead() {
		return this.store.sql("SELECT seq FROM audit_head WHERE id = 1").query(Long.class).single();
	}

	// --- the API -----------------------------------------------------------------

	private JsonNode api(String user, HttpMethod method, String path, String body, int expected) throws Exception {
		MockHttpServletRequestBuilder request = request(method, path).with(httpBasic(user, FerryAppTest.DEMO_PASSWORD));
		if (body != null) {
			request.contentType("application/json").content(body);
		}
		MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
		String text = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(response.getStatus()).as("%s %s %s: %s", user, method, path, text).isEqualTo(expected);
		return (text.isBlank() || !text.strip().startsWith("{")) ? this.json.createObjectNode()
				: this.json.readTree(text);
	}

	private static String items(String[]... items) {
		List<String> json = new ArrayList<>();
		for (String[] item : items) {
			json.add("{\"kind\": \"" + item[0] + "\", \"runId\": " + item[1] + "}");
		}
		return "{\"items\": [" + String.join(", ", json) + "]}";
	}

	private static JsonNode item(JsonNode answer, String list, String kind, long runId) {
		for (JsonNode item : answer.path(list)) {
			if (item.path("kind").asString().equals(kind) && item.path("runId").asLong() == runId) {
				return item;
			}
		}
		throw new AssertionError("no " + kind + " of run #" + runId + " in " + list + ": " + answer.path(list));
	}

	private static List<JsonNode> ofPlan(JsonNode items, String plan) {
		List<JsonNode> found = new ArrayList<>();
		for (JsonNode item : items) {
			if (item.path("plan").asString().equals(plan)) {
				found.add(item);
			}
		}
		return found;
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach(value -> values.add(value.asString()));
		return values;
	}

	/** An item's figures and where, without whether it may be purged. */
	private static String strip(JsonNode item) {
		return item.path("kind").asString() + " " + item.path("runId").asLong() + " " + item.path("place").asString()
				+ " rows " + item.path("rows").asLong() + ", table rows " + item.path("tableRows").asLong()
				+ ", file bytes " + item.path("fileBytes").asLong() + ": " + item.path("reason").asString();
	}

}
