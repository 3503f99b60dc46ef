package dev.ferry.changeset;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

/**
 * The dry-run diff as a product owner and a script read it: one real import dry run from
 * a SQLite file into an H2 table with a composite key, then its page, its htmx list, its
 * API pages and its downloads. The planted rows: 19 inserts, 12 updates (one with HTML in
 * a value, one that empties a text), 87 unchanged, 3 deletes and 2 rejected rows.
 */
@FerryAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangesIntegrationTests {

	static final RequestPostProcessor VIEWER = user("viewer").roles("VIEWER");

	@TempDir
	static Path files;

	@Autowired
	MockMvc mvc;

	@Autowired
	RunService runs;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	ChangeSetService changeSets;

	long runId;

	@BeforeAll
	void dryRun() throws Exception {
		Path sqlite = files.resolve("parts.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite)) {
			try (Statement s = c.createStatement()) {
				s.execute("CREATE TABLE parts (plant TEXT, code INTEGER, label TEXT, weight TEXT)");
			}
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO parts VALUES (?, ?, ?, ?)")) {
				for (String plant : List.of(" a", "b ")) {
					for (int code = 1; code <= 60; code++) {
						String label = "Part " + plant.strip().toUpperCase() + code;
						String weight = code + ".5";
						if (plant.contains("a") && code == 1) {
							label = "<b>Bold</b> & \"quoted\"";
						}
						if (plant.contains("a") && code == 5) {
							label = "  ";
						}
						if (plant.contains("a") && code == 57) {
							weight = "heavy";
						}
						if (plant.contains("b") && code == 2) {
							label = null;
						}
						if (plant.contains("b") && code == 55) {
							// a cell a spreadsheet would run (issue 20, finding 12)
							label = "=HYPERLINK(\"http://evil.example/\",\"x\")";
						}
						insert.setString(1, plant);
						insert.setInt(2, code);
						insert.setString(3, label);
						insert.setString(4, weight);
						insert.executeUpdate();
					}
				}
			}
		}
		String h2 = "jdbc:h2:file:" + files.resolve("parts-target").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(h2, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE parts (plant VARCHAR(5), code INTEGER, label VARCHAR(50), weight DECIMAL(6, 2), "
					+ "PRIMARY KEY (plant, code))");
			for (String plant : List.of("A", "B")) {
				for (int code = 1; code <= 50; code++) {
					double weight = code + (code % 10 == 3 ? 1.5 : 0.5);
					s.execute("INSERT INTO parts VALUES ('" + plant + "', " + code + ", 'Part " + plant + code + "', "
							+ weight + ")");
				}
			}
			for (int code = 900; code <= 902; code++) {
				s.execute("INSERT INTO parts VALUES ('A', " + code + ", 'Gone " + code + "', 1)");
			}
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(
					new ConnectionCommand("parts-sqlite", "jdbc:sqlite:" + sqlite.toAbsolutePath(), null, null, true));
			this.connections.create(new ConnectionCommand("parts-h2", h2, H2Login.USER, H2Login.PASSWORD, false));
		});
		String plan = """
				plan: parts
				source: parts-sqlite
				target: parts-h2
				phases:
				  - id: import
				    kind: import
				    query: SELECT plant, code, label, weight FROM parts
				    table: parts
				    key: [plant, code]
				    delete-missing: true
				    columns:
				      plant:  { normalize: [trim, upper] }
				      code:   { type: integer }
				      label:  { normalize: [trim], required: true }
				      weight: { type: decimal }
				gates: []
				""";
		SystemActor.run(() -> this.plans.save(null, plan.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
		RunView run = SystemActor.call(() -> this.runs.request("parts", "import", RunMode.DRY_RUN));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(run.id())).state().active(), "the dry run");
		RunView done = SystemActor.call(() -> this.runs.get(run.id()));
		assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(done.counts().inserted()).isEqualTo(19);
		assertThat(done.counts().updated()).isEqualTo(12);
		assertThat(done.counts().unchanged()).isEqualTo(87);
		assertThat(done.counts().deleted()).isEqualTo(3);
		assertThat(done.counts().rejected()).isEqualTo(2);
		// the sha256 this scenario's change set had before change rows kept their changed
		// columns and target rows without a source row (issue 21): unchanged
		assertThat(done.changeSetSha256()).isEqualTo("47786a0186ac64e459c0237b8a1e7ff4a02c8f600b6c30e2ccbebcf881ce9369");
		this.runId = run.id();
	}

	@Test
	void thePageShowsTheCountsAndEachUpdateAsBeforeAndAfter() throws Exception {
		String page = this.mvc.perform(get("/runs/{id}/changes", this.runId).param("op", "update").with(VIEWER))
			.andExpect(status().isOk())
			.andExpect(view().name("changeset/changes"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("What dry run #" + this.runId + " would change", "table parts on parts-h2",
				"rows identified by plant, code");
		// the counts of the whole change set, and the tabs with theirs
		assertThat(page).contains(">123<", ">19<", ">12<", ">87<", ">3<", ">2<");
		assertThat(page).contains("value=\"update\" checked");
		assertThat(rowsOf(page, "change-update")).isEqualTo(12);
		assertThat(rowsOf(page, "change-insert")).isZero();
		// A-3: weight 4.5 → 3.5, the three other columns folded away
		assertThat(page).contains("<del class=\"before\">4.5</del>", "<ins class=\"after\">3.5</ins>",
				"Show the 3 unchanged column(s)");
		// HTML in a value is text, never markup; an emptied text says so
		assertThat(page).contains("&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot;").doesNotContain("<b>Bold</b>");
		assertThat(page).contains("title=\"An empty text\"");
		assertThat(page).contains("href=\"/runs/" + this.runId + "/changes.csv\"",
				"href=\"/runs/" + this.runId + "/changes.json\"", "href=\"/runs/" + this.runId + "/report\"");
	}

	@Test
	void insertsAreAGridWithOneColumnPerColumnAndTheirHeaderOnce() throws Exception {
		String page = this.mvc.perform(get("/runs/{id}/changes", this.runId).param("op", "insert").with(VIEWER))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String grid = page.substring(page.indexOf("<table class=\"table changes change-grid\" id=\"change-grid\">"));
		grid = grid.substring(0, grid.indexOf("</table>")).replaceAll(">\\s+<", "><");
		assertThat(rowsOf(grid, "change-insert")).isEqualTo(19);
		// one header row: the seq, then each column of the table once, the key's marked
		assertThat(grid.split("<thead>", -1)).hasSize(2);
		assertThat(grid).contains("<th scope=\"col\" title=\"Part of the key\" class=\"grid-key\">plant</th>",
				"<th scope=\"col\" title=\"Part of the key\" class=\"grid-key\">code</th>",
				"<th scope=\"col\">label</th>", "<th scope=\"col\">weight</th>");
		// the values in cells, no longer as name: value chips
		assertThat(grid).doesNotContain("col-name", "<ul class=\"cells\"");
		// B-55: its cell holds the text as text
		// (a value cut short in its cell, 24rem at most, is whole in its title)
		assertThat(grid).contains("<td title=\"B\" class=\"grid-key\">B</td><td title=\"55\" class=\"grid-key\">55</td>"
				+ "<td title=\"=HYPERLINK(&quot;http://evil.example/&quot;,&quot;x&quot;)\">"
				+ "=HYPERLINK(&quot;http://evil.example/&quot;,&quot;x&quot;)</td><td title=\"55.5\">55.5</td>");
		// the grid scrolls inside its own box, the page does not
		assertThat(page).contains("<div class=\"table-scroll change-grid-scroll\" tabindex=\"0\"");

		// among other rows, a run of inserts is a grid of its own; updates stay before → after
		String all = this.mvc.perform(get("/runs/{id}/changes", this.runId).with(VIEWER))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(rowsOf(all, "change-insert")).isEqualTo(19);
		assertThat(all).contains("class=\"grid-run grid-run-insert\"", "<del class=\"before\">4.5</del>");
		assertThat(rowsOf(all, "change-update") + rowsOf(all, "change-delete") + rowsOf(all, "change-rejected"))
			.isEqualTo(12 + 3 + 2);
	}

	@Test
	void theColumnFilterListsExactlyTheUpdatesThatChangeTheColumn() throws Exception {
		// weights changed on codes 3, 13, 23, 33, 43 of both plants; labels on A-1 and A-5
		String weight = this.mvc.perform(get("/runs/{id}/changes", this.runId).param("column", "weight").with(VIEWER))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(rowsOf(weight, "change-update")).isEqualTo(10);
		assertThat(rowsOf(weight, "change-insert") + rowsOf(weight, "change-rejected")).isZero();
		assertThat(weight).contains("Only the updates that change weight.", "Rows 1–10 of 10",
				"value=\"update\" checked", "<option value=\"weight\" selected=\"selected\">weight</option>");
		String label = this.mvc
			.perform(get("/runs/{id}/changes", this.runId).param("op", "update")
				.param("column", "LABEL")
				.header("HX-Request", "true")
				.with(VIEWER))
			.andExpect(view().name("changeset/changes :: list"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(rowsOf(label, "change-update")).isEqualTo(2);
		assertThat(label).contains("Rows 1–2 of 2", "&lt;b&gt;Bold&lt;/b&gt;");
		// the profile's changed columns link to their filtered lists
		String page = this.mvc.perform(get("/runs/{id}/changes", this.runId).with(VIEWER))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("href=\"/runs/" + this.runId + "/changes?op=update&amp;column=weight\"",
				"href=\"/runs/" + this.runId + "/changes?op=update&amp;column=label\"");
		// another operation's tab leaves the page's column select aside
		String inserts = this.mvc
			.perform(get("/runs/{id}/changes", this.runId).param("op", "insert").param("column", "weight").with(VIEWER))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(rowsOf(inserts, "change-insert")).isEqualTo(19);
	}

	@Test
	void theColumnFilterPagesByKeysetWithItsPositionAndTotal() {
		ChangeSetService changeSets = this.changeSets;
		ChangeFilter weight = new ChangeFilter(null, null, null, null, "weight");
		List<Long> seqs = new ArrayList<>();
		ChangeWindow page = SystemActor.call(() -> changeSets.window(this.runId, weight, null, null, false, 3));
		assertThat(page.from()).isEqualTo(1);
		assertThat(page.total()).isEqualTo(10);
		page.items().forEach(change -> seqs.add(change.seq()));
		while (page.next() != null) {
			String after = page.next();
			long expectedFrom = seqs.size() + 1;
			page = SystemActor.call(() -> changeSets.window(this.runId, weight, after, null, false, 3));
			assertThat(page.from()).as("the position after %s", after).isEqualTo(expectedFrom);
			assertThat(page.total()).isEqualTo(10);
			page.items().forEach(change -> seqs.add(change.seq()));
		}
		assertThat(seqs).hasSize(10).isSorted().doesNotHaveDuplicates();
		// the last page is the last three, and the page before it the three before those
		ChangeWindow last = SystemActor.call(() -> changeSets.window(this.runId, weight, null, null, true, 3));
		assertThat(last.from()).isEqualTo(8);
		assertThat(last.items()).extracting(Change::seq).containsExactlyElementsOf(seqs.subList(7, 10));
		String before = String.valueOf(seqs.get(7));
		ChangeWindow previous = SystemActor.call(() -> changeSets.window(this.runId, weight, null, before, false, 3));
		assertThat(previous.from()).isEqualTo(5);
		assertThat(previous.total()).isEqualTo(10);
		assertThat(previous.items()).extracting(Change::seq).containsExactlyElementsOf(seqs.subList(4, 7));
		assertThat(seqs).allSatisfy(seq -> {
			Change change = SystemActor
				.call(() -> changeSets.changes(this.runId, weight, String.valueOf(seq - 1), 1))
				.items()
				.get(0);
			assertThat(change.op()).isEqualTo(ChangeOp.UPDATE);
			assertThat(change.changed()).contains("weight");
		});
		// with a key search the total is counted: plant A's five
		ChangeWindow a = SystemActor.call(() -> changeSets.window(this.runId,
				new ChangeFilter(ChangeOp.UPDATE, null, "a ", null, "weight"), null, null, false, 50));
		assertThat(a.total()).isEqualTo(5);
		assertThat(a.items()).hasSize(5);
	}

	@Test
	void theApiFiltersByChangedColumnAndByRule() throws Exception {
		RequestPostProcessor basic = httpBasic("viewer", FerryAppTest.DEMO_PASSWORD);
		List<Object> all = new ArrayList<>();
		String after = null;
		do {
			var request = get("/api/v1/runs/{id}/changes", this.runId).param("column", "weight")
				.param("limit", "4")
				.with(basic);
			if (after != null) {
				request.param("after", after);
			}
			String body = this.mvc.perform(request)
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			List<Object> items = JsonPath.read(body, "$.items");
			assertThat((List<String>) JsonPath.read(body, "$.items[*].op")).containsOnly("update");
			assertThat((List<String>) JsonPath.read(body, "$.items[*].changed[*]")).contains("weight");
			all.addAll(items);
			after = JsonPath.read(body, "$.next");
		}
		while (after != null);
		assertThat(all).hasSize(10);
		this.mvc.perform(get("/api/v1/runs/{id}/changes", this.runId).param("rule", "weight: type decimal").with(basic))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items.length()").value(1))
			.andExpect(jsonPath("$.items[0].op").value("rejected"))
			.andExpect(jsonPath("$.items[0].key.code").value(57));
	}

	@Test
	void aBadColumnIsRefusedWithWords() throws Exception {
		RequestPostProcessor basic = httpBasic("viewer", FerryAppTest.DEMO_PASSWORD);
		this.mvc.perform(get("/api/v1/runs/{id}/changes", this.runId).param("column", "colour").with(basic))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString(
					"'colour' is not a column of this change set: use one of plant, code, label, weight.")));
		this.mvc.perform(get("/api/v1/runs/{id}/changes", this.runId).param("column", "weight%' OR '1'='1").with(basic))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString("is not a column of this change set")));
		this.mvc
			.perform(get("/api/v1/runs/{id}/changes", this.runId).param("op", "insert")
				.param("column", "weight")
				.with(basic))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error")
				.value(containsString("Only updates change a column: the column filter cannot list insert rows.")));
		this.mvc.perform(get("/runs/{id}/changes", this.runId).param("column", "colour").with(VIEWER))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(containsString("is not a column of this change set")))
			.andExpect(content().string(not(containsString("Exception"))));
		this.mvc
			.perform(get("/runs/{id}/changes", this.runId).param("column", "colour")
				.header("HX-Request", "true")
				.with(VIEWER))
			.andExpect(status().isBadRequest());
	}

	@Test
	void targetRowsWithoutASourceRowAreDeletesWithDeleteMissing() throws Exception {
		String page = this.mvc.perform(get("/runs/{id}/changes", this.runId).with(VIEWER))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("3 target rows have no source row: they will be deleted (delete-missing is on).")
			.doesNotContain("op-tab-kept");
		this.mvc.perform(get("/api/v1/runs/{id}/report", this.runId).with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$.counts.kept").value(0))
			.andExpect(jsonPath("$.counts.deleted").value(3));
	}

	/**
	 * A small delivery into a large table with delete-missing off: every target row
	 * without a source row is counted, the first {@value ChangeSetTotals#KEPT_LISTED} are
	 * listed (by key), and the page says so.
	 */
	@Test
	void aChangeSetListsTheFirstTenThousandKeptRowsAndCountsThemAll() throws Exception {
		String h2 = "jdbc:h2:file:" + files.resolve("parts-target").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(h2, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE stock (code INTEGER PRIMARY KEY, label VARCHAR(50))");
			s.execute("INSERT INTO stock SELECT x, 'Stock ' || x FROM SYSTEM_RANGE(1, 10050)");
			H2Login.grant(s);
		}
		String plan = """
				plan: parts-stock
				source: parts-sqlite
				target: parts-h2
				phases:
				  - id: import
				    kind: import
				    query: SELECT code, 'Stock ' || code AS label FROM parts WHERE plant = ' a' AND code <= 5
				    table: stock
				    key: [code]
				    columns:
				      code:  { type: integer }
				      label: { normalize: [trim] }
				gates: []
				""";
		SystemActor.run(() -> this.plans.save(null, plan.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
		RunView run = SystemActor.call(() -> this.runs.request("parts-stock", "import", RunMode.DRY_RUN));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(run.id())).state().active(), "the dry run");
		assertThat(SystemActor.call(() -> this.runs.get(run.id())).state()).isEqualTo(RunState.SUCCEEDED);
		this.mvc.perform(get("/api/v1/runs/{id}/report", run.id()).with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$.counts.kept").value(10_045))
			.andExpect(jsonPath("$.counts.unchanged").value(5));
		String page = this.mvc.perform(get("/runs/{id}/changes", run.id()).param("op", "kept").with(VIEWER))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("10,045 target rows have no source row: they will be kept (delete-missing is off).")
			.contains("The first 10,000 of these 10,045 rows are listed, by key")
			.contains("of 10,000");
		// the listed ones: the first 10,000 by key (codes 6 to 10,005; 1 to 5 are unchanged)
		List<String> listed = new java.util.ArrayList<>();
		String after = null;
		do {
			String cursor = after;
			ChangePage page500 = SystemActor.call(() -> this.changeSets.changes(run.id(),
					new ChangeFilter(ChangeOp.KEPT, null, null, null, null), cursor, 500));
			page500.items().forEach(change -> listed.add(String.valueOf(change.key().get("code"))));
			after = page500.next();
		}
		while (after != null);
		assertThat(listed).hasSize(10_000);
		assertThat(listed.get(0)).isEqualTo("6");
		assertThat(listed.get(listed.size() - 1)).isEqualTo("10005");
	}

	@Test
	void rejectedRowsShowColumnValueAndRule() throws Exception {
		String page = this.mvc.perform(get("/runs/{id}/changes", this.runId).param("op", "rejected").with(VIEWER))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(rowsOf(page, "change-rejected")).isEqualTo(2);
		assertThat(page).contains("<strong>weight</strong>", ">heavy<", "<strong>type decimal</strong>",
				"<strong>label</strong>", "<strong>required</strong>");
		assertThat(page).contains("weight: type decimal", "label: required");
	}

	@Test
	void theHtmxListIsTheFragmentAloneAndTheKeySearchNarrowsIt() throws Exception {
		String fragment = this.mvc
			.perform(get("/runs/{id}/changes", this.runId).param("q", "a 5").header("HX-Request", "true").with(VIEWER))
			.andExpect(status().isOk())
			.andExpect(view().name("changeset/changes :: list"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(fragment).startsWith("<div id=\"changes-list\"").doesNotContain("<html", "change-summary");
		// keys starting "a 5": A-5 (update), A-50 (unchanged), A-51..A-59 (inserts, A-57 rejected)
		assertThat(rowsOf(fragment, "change-update")).isEqualTo(1);
		assertThat(rowsOf(fragment, "change-insert")).isEqualTo(8);
		assertThat(rowsOf(fragment, "change-rejected")).isEqualTo(1);
		assertThat(fragment).doesNotContain("id=\"changes-next\"");
	}

	@Test
	void thePagerWalksTheWholeChangeSetOnceInOrder() throws Exception {
		List<Long> seqs = new ArrayList<>();
		String after = null;
		int pages = 0;
		do {
			var request = get("/runs/{id}/changes", this.runId).header("HX-Request", "true").with(VIEWER);
			if (after != null) {
				request.param("after", after);
			}
			String fragment = this.mvc.perform(request).andReturn().getResponse().getContentAsString();
			java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"change-(\\d+)\"").matcher(fragment);
			while (m.find()) {
				seqs.add(Long.parseLong(m.group(1)));
			}
			java.util.regex.Matcher next = java.util.regex.Pattern.compile("after=(\\d+)\"").matcher(fragment);
			after = next.find() ? next.group(1) : null;
			pages++;
		}
		while (after != null && pages < 10);
		assertThat(pages).as("36 rows at 50 a page").isEqualTo(1);
		assertThat(seqs).hasSize(36).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void theApiPagesByCursorAndFiltersByOperation() throws Exception {
		List<Object> all = new ArrayList<>();
		String after = null;
		do {
			var request = get("/api/v1/runs/{id}/changes", this.runId).param("limit", "5")
				.with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD));
			if (after != null) {
				request.param("after", after);
			}
			String body = this.mvc.perform(request)
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			List<Object> items = JsonPath.read(body, "$.items");
			assertThat(items).hasSizeLessThanOrEqualTo(5);
			all.addAll(items);
			after = JsonPath.read(body, "$.next");
		}
		while (after != null);
		assertThat(all).hasSize(19 + 12 + 3 + 2);

		this.mvc
			.perform(get("/api/v1/runs/{id}/changes", this.runId).param("op", "update")
				.param("q", "a 3")
				.with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items.length()").value(2))
			.andExpect(jsonPath("$.items[0].op").value("update"))
			.andExpect(jsonPath("$.items[0].table").value("parts"))
			.andExpect(jsonPath("$.items[0].key.plant").value("A"))
			.andExpect(jsonPath("$.items[0].key.code").value(3))
			.andExpect(jsonPath("$.items[0].before.weight").value(4.5))
			.andExpect(jsonPath("$.items[0].after.weight").value(3.5))
			.andExpect(jsonPath("$.items[0].changed[0]").value("weight"))
			.andExpect(jsonPath("$.items[0].reason").doesNotExist())
			.andExpect(jsonPath("$.next").isEmpty());

		this.mvc
			.perform(get("/api/v1/runs/{id}/changes", this.runId).param("op", "rejected")
				.with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$.items.length()").value(2))
			.andExpect(jsonPath("$.items[?(@.key.plant == 'A')].reasons[0].column").value("weight"))
			.andExpect(jsonPath("$.items[?(@.key.plant == 'A')].reasons[0].value").value("heavy"))
			.andExpect(jsonPath("$.items[?(@.key.plant == 'A')].reasons[0].rule").value("type decimal"))
			.andExpect(jsonPath("$.items[?(@.key.plant == 'A')].reason").value(hasItem(containsString("weight"))));
	}

	@Test
	void badFiltersAreRefusedWithAClearMessage() throws Exception {
		RequestPostProcessor basic = httpBasic("viewer", FerryAppTest.DEMO_PASSWORD);
		this.mvc.perform(get("/api/v1/runs/{id}/changes", this.runId).param("op", "upsert").with(basic))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString("'upsert' is not an operation")));
		this.mvc.perform(get("/api/v1/runs/{id}/changes", this.runId).param("limit", "501").with(basic))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString("between 1 and 500")));
		this.mvc.perform(get("/api/v1/runs/{id}/changes", this.runId).param("after", "x' OR 1=1").with(basic))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(containsString("is not a page cursor")));
		this.mvc.perform(get("/api/v1/runs/{id}/changes", this.runId).param("limit", "abc").with(basic))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("limit: 'abc' is not a whole number."));
		this.mvc.perform(get("/api/v1/runs/{id}/changes", "latest").with(basic))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("id: 'latest' is not a whole number."));
		this.mvc.perform(get("/api/v1/runs/{id}/changes", 987_654).with(basic))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value(containsString("has no change set")));
		this.mvc.perform(get("/runs/{id}/changes", this.runId).param("op", "upsert").with(VIEWER))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(containsString("is not an operation")))
			.andExpect(content().string(not(containsString("Exception"))));
	}

	@Test
	void downloadsHoldEveryRowWhateverTheFilter() throws Exception {
		MvcResult csv = this.mvc.perform(get("/runs/{id}/changes.csv", this.runId).with(VIEWER))
			.andExpect(status().isOk())
			.andExpect(header().string(HttpHeaders.CONTENT_DISPOSITION,
					containsString("attachment; filename=\"ferry-parts-import-run-" + this.runId + "-changes.csv\"")))
			.andReturn();
		assertThat(csv.getResponse().getContentType()).startsWith("text/csv");
		String[] lines = csv.getResponse().getContentAsString(StandardCharsets.UTF_8).split("\r\n");
		assertThat(lines).hasSize(1 + 36);
		assertThat(lines[0]).isEqualTo("seq,table,op,key.plant,key.code,before.plant,before.code,before.label,"
				+ "before.weight,after.plant,after.code,after.label,after.weight,reasons");
		assertThat(lines).anySatisfy(line -> assertThat(line).contains(",update,A,3,").endsWith(",A,3,Part A3,3.5,"));
		// written as text for a spreadsheet, exact in the JSON download
		assertThat(lines).anySatisfy(line -> assertThat(line).contains(",insert,B,55,")
			.contains(",\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\","));

		String json = this.mvc.perform(get("/runs/{id}/changes.json", this.runId).with(VIEWER))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat((List<Object>) JsonPath.read(json, "$.changes")).hasSize(36);
		assertThat((Integer) JsonPath.read(json, "$.summary.counts.read")).isEqualTo(123);
		assertThat((List<String>) JsonPath.read(json, "$.changes[?(@.key.code == 55 && @.key.plant == 'B')].after.label"))
			.containsExactly("=HYPERLINK(\"http://evil.example/\",\"x\")");

		String report = this.mvc.perform(get("/runs/{id}/report", this.runId).with(VIEWER))
			.andExpect(status().isOk())
			.andExpect(header().string(HttpHeaders.CONTENT_DISPOSITION, containsString("summary.json")))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat((Integer) JsonPath.read(report, "$.counts.unchanged")).isEqualTo(87);
		assertThat((String) JsonPath.read(report, "$.changeSetSha256")).hasSize(64);

		this.mvc.perform(get("/api/v1/runs/{id}/report", this.runId).with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.counts.deleted").value(3))
			.andExpect(jsonPath("$.rejectedByRule['weight: type decimal']").value(1))
			.andExpect(jsonPath("$.rejectedByRule['label: required']").value(1));
		String apiCsv = this.mvc
			.perform(get("/api/v1/runs/{id}/report.csv", this.runId)
				.with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(apiCsv.split("\r\n")).hasSize(1 + 36);
	}

	@Test
	void nobodyReadsChangesWithoutSigningIn() throws Exception {
		this.mvc.perform(get("/runs/{id}/changes", this.runId))
			.andExpect(status().is3xxRedirection())
			.andExpect(header().string(HttpHeaders.LOCATION, endsWith("/login")));
		this.mvc.perform(get("/runs/{id}/changes.csv", this.runId)).andExpect(status().is3xxRedirection());
		this.mvc.perform(get("/api/v1/runs/{id}/changes", this.runId)).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/api/v1/runs/{id}/report", this.runId)).andExpect(status().isUnauthorized());
	}

	private static int rowsOf(String html, String rowClass) {
		return html.split("class=\"" + rowClass + "\"", -1).length - 1;
	}

}
