package dev.ferry.runbook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import dev.ferry.gate.ApprovalService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * The runbook of the demo plan after its dry runs and the applies of schema and import:
 * its phases with their gates and approvals, the estimates computed from the stored run
 * figures (the test fixes them and checks the arithmetic), the Markdown download saying
 * what the page says, the checklist ticked in the page and kept in the audit log, and
 * what the API refuses. Screenshots at 1,440 and 800 px and of the print view are kept
 * under {@code target/browser/}. A workspace of its own: it applies phases.
 */
class RunbookBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-runbook-browser");

	static final String PLAN = "ahs-v2";

	static final Pattern AS_OF = Pattern.compile("Figures as of \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC");

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	RunbookService runbooks;

	@Autowired
	JdbcClient store;

	@Autowired
	MockMvc mvc;

	@Autowired
	JsonMapper json;

	@Test
	void theDemoPlansRunbookEstimatesFromItsRunsAndItsChecklistIsTicked() throws Exception {
		RunView preflight = Actors.succeeded(this.runs, this.approvals, PLAN, "preflight", RunMode.DRY_RUN);
		RunView schema = Actors.succeeded(this.runs, this.approvals, PLAN, "schema", RunMode.APPLY);
		RunView importApply = Actors.succeeded(this.runs, this.approvals, PLAN, "import", RunMode.APPLY);
		RunView importDryRun = SystemActor.call(() -> this.runs.get(importApply.appliesRun()));
		RunView map = Actors.succeeded(this.runs, this.approvals, PLAN, "map", RunMode.DRY_RUN);

		// the figures the estimates come from, fixed: preflight 2 s; schema's apply 3 s;
		// the import's dry run would write 900 + 90 + 10 rows, its apply wrote 2,000 in
		// 4 s (500 rows/s); the mapping's dry run read 400 old records in 8 s
		Instant start = Instant.parse("2026-12-01T10:00:00Z");
		fix(preflight.id(), start, 2.0, 0, 0, 0, 0);
		fix(schema.id(), start, 3.0, 0, 0, 0, 0);
		fix(importDryRun.id(), start, 6.0, 1_000, 900, 90, 10);
		fix(importApply.id(), start, 4.0, 2_000, 2_000, 0, 0);
		fix(map.id(), start, 8.0, 400, 0, 0, 0);

		Runbook book = Actors.as("viewer", Role.VIEWER, () -> this.runbooks.runbook(PLAN));
		assertThat(book.steps()).extracting(Runbook.Step::phase)
			.containsExactly("preflight", "schema", "import", "map", "verify");
		Runbook.Step importStep = book.steps().get(2);
		assertThat(importStep.apply().seconds()).isEqualTo(2.0);
		assertThat(importStep.apply().basis()).isEqualTo("1,000 rows to write (dry run #" + importDryRun.id()
				+ ") at the 500 rows/s of apply #" + importApply.id());
		assertThat(importStep.rollback().seconds()).as("no rollback measured: about the apply's time").isEqualTo(2.0);
		assertThat(importStep.gates()).extracting(Runbook.Gate::id).containsExactly("v2-count", "few-rejects");
		assertThat(importStep.gates()).allSatisfy(gate -> assertThat(gate.state()).isEqualTo("pass"));
		assertThat(importStep.approvalsNeeded())
			.isEqualTo("1 operator approval of its dry run, never the requester's own");
		assertThat(importStep.approvalsGiven()).extracting(Runbook.Given::by).containsExactly(Actors.APPROVER);
		assertThat(importStep.code()).extracting(Runbook.Code::text)
			.containsExactly("SELECT id, name, hybridizer, year, fragrance FROM cultivars");
		assertThat(importStep.table().rows()).hasSize(5);
		Runbook.Step schemaStep = book.steps().get(1);
		assertThat(schemaStep.apply().seconds()).isEqualTo(3.0);
		assertThat(schemaStep.code()).extracting(Runbook.Code::label).containsExactly("Apply", "Rollback");
		assertThat(schemaStep.rollback().measured()).as("its rollback statements never ran").isFalse();
		assertThat(book.steps().get(0).apply().seconds()).isEqualTo(2.0);
		Runbook.Step mapStep = book.steps().get(3);
		assertThat(mapStep.apply().seconds()).as("no apply of the map yet: as long as its dry run").isEqualTo(8.0);
		assertThat(mapStep.facts()).extracting(Runbook.Fact::value)
			.contains("best score at least 0.8 and ahead of the second by at least 0.2");
		assertThat(book.steps().get(4).apply().measured()).as("nothing verified yet").isFalse();
		// 2 + 3 + 2 + 8 seconds, the verify not measured
		assertThat(book.downtime().total().seconds()).isEqualTo(15.0);
		assertThat(book.downtime().totalText()).isEqualTo("at least 15 s (1 phase not measured yet)");
		assertThat(book.downtime().rows()).extracting(Runbook.DowntimeRow::starts)
			.containsExactly("T+0:00:00", "T+0:00:02", "T+0:00:05", "T+0:00:07", "T+0:00:15");
		assertThat(book.rollbackPath()).extracting(Runbook.RollbackStep::phase)
			.containsExactly("map", "import", "schema");
		assertThat(book.verifyChecks()).extracting(check -> check.gate().id())
			.containsExactly("listings-intact", "no-orphans");

		// the page, from the dashboard
		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/" + PLAN));
		driver.findElement(By.id("runbook-link")).click();
		waiting().until(ExpectedConditions.urlToBe(url("/plans/" + PLAN + "/runbook")));
		assertThat(driver.findElement(By.id("downtime-total")).getText())
			.isEqualTo("Total: at least 15 s (1 phase not measured yet)");
		assertThat(driver.findElement(By.id("takes-import")).getText()).startsWith("Takes: 2 s (1,000 rows to write");
		assertThat(driver.findElement(By.id("approvals-import")).getText())
			.contains("Approvals: 1 operator approval of its dry run, never the requester's own. Given:");
		assertThat(driver.findElement(By.id("step-import")).getText()).contains(Actors.APPROVER + " as operator");
		assertThat(driver.findElement(By.id("rollback-schema")).getText())
			.contains("3. schema (sql): not measured yet (its rollback statements have not run yet).");

		// the Markdown says what the page says, word for word (the checklist's ticks and
		// buttons are the page's own)
		String markdown = call("viewer", HttpMethod.GET, "/api/v1/plans/" + PLAN + "/runbook.md", 200);
		assertThat(markdown).startsWith("# Runbook: AHS V2 cultivar dataset\n");
		assertThat(markdownText(markdown)).isEqualTo(pageText());
		// the page's download is the same Markdown, as a file named after the plan
		// version
		@SuppressWarnings("unchecked")
		Map<String, Object> download = (Map<String, Object>) ((JavascriptExecutor) driver)
			.executeAsyncScript("const done = arguments[arguments.length - 1];"
					+ "fetch(document.getElementById('runbook-markdown').href).then(r => r.text().then(t => done({"
					+ "status: r.status, type: r.headers.get('Content-Type'),"
					+ "disposition: r.headers.get('Content-Disposition'), text: t})));");
		assertThat(download.get("status")).isEqualTo(200L);
		assertThat(download.get("type")).isEqualTo("text/markdown;charset=UTF-8");
		assertThat(download.get("disposition")).isEqualTo("attachment; filename=\"" + PLAN + "-v1-runbook.md\"");
		assertThat(words((String) download.get("text"))).isEqualTo(words(markdown));

		windowWidth(1440);
		screenshot("runbook-1440");
		for (String part : new String[] { "step-import", "step-map", "rollback-path", "checklist" }) {
			((JavascriptExecutor) driver).executeScript("document.getElementById(arguments[0]).scrollIntoView()", part);
			screenshot("runbook-1440-" + part);
		}
		windowWidth(800);
		assertNoHorizontalScroll("the runbook at 800 px");
		screenshot("runbook-800");
		windowWidth(1280);
		((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
		assertThat(driver.findElement(By.className("topbar")).isDisplayed()).as("no navigation on paper").isFalse();
		assertThat(driver.findElement(By.id("runbook-print")).isDisplayed()).isFalse();
		screenshot("runbook-print");
		((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));

		// the checklist: started and ticked in the page, each tick in the audit log
		driver.findElement(By.id("checklist-start")).click();
		waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("checklist-of")));
		assertThat(driver.findElement(By.id("checklist-of")).getText()).contains("of version 1, started by operator");
		driver.findElement(By.id("tick-announce")).click();
		waiting().until(ExpectedConditions.attributeContains(By.id("item-announce"), "class", "ticked"));
		assertThat(driver.findElement(By.id("item-announce")).getText()).contains("ticked by operator");
		assertThat(driver.findElement(By.id("tick-announce")).getText()).isEqualTo("Untick");
		screenshot("runbook-checklist");
		JsonNode audit = this.json.readTree(call("admin", HttpMethod.GET, "/api/v1/audit?action=runbook.ticked", 200));
		assertThat(audit.path("items")).hasSize(1);
		assertThat(audit.path("items").get(0).toString()).contains("operator").contains("announce: Announce the");

		// the API refuses what the page does not offer
		long checklist = Actors.as("viewer", Role.VIEWER, () -> this.runbooks.latestChecklist(PLAN)).orElseThrow().id();
		String items = "/api/v1/plans/" + PLAN + "/runbook/checklists/" + checklist + "/items/";
		assertThat(call("operator", HttpMethod.PUT, items + "no-such-item", "{\"ticked\": true}", 409))
			.contains("has no item no-such-item");
		call("viewer", HttpMethod.PUT, items + "backup", "{\"ticked\": true}", 403);
		call("viewer", HttpMethod.POST, "/api/v1/plans/" + PLAN + "/runbook/checklists", null, 403);
		call("operator", HttpMethod.POST, "/api/v1/plans/" + PLAN + "/runbook/checklists", null, 200);
		assertThat(call("operator", HttpMethod.PUT, items + "backup", "{\"ticked\": true}", 409))
			.contains("is not the newest of plan " + PLAN);
		call("operator", HttpMethod.PUT, items + "backup", "{}", 400);
	}

	private void fix(long run, Instant start, double seconds, long read, long inserted, long updated, long deleted) {
		this.store
			.sql("UPDATE runs SET started_at = ?, finished_at = ?, rows_read = ?, rows_inserted = ?, rows_updated = ?, "
					+ "rows_deleted = ? WHERE id = ?")
			.params(Timestamp.from(start), Timestamp.from(start.plusMillis((long) (seconds * 1000))), read, inserted,
					updated, deleted, run)
			.update();
	}

	/**
	 * The visible words of the runbook, without the checklist's live part (and with the
	 * table heads in the case they are written in, not the upper case they are shown in).
	 */
	private String pageText() {
		String text = (String) ((JavascriptExecutor) driver)
			.executeScript("const live = document.querySelectorAll('#runbook .live-only');"
					+ "live.forEach(e => e.style.display = 'none');"
					+ "const heads = document.querySelectorAll('#runbook th');"
					+ "heads.forEach(e => e.style.textTransform = 'none');"
					+ "const text = document.getElementById('runbook').innerText;"
					+ "live.forEach(e => e.style.display = ''); heads.forEach(e => e.style.textTransform = '');"
					+ "return text;");
		return words(text.replace("☐", " ").replace("☑", " "));
	}

	/** The words of the Markdown, without its markup. */
	static String markdownText(String markdown) {
		StringBuilder text = new StringBuilder();
		for (String line : markdown.split("\n")) {
			if (line.matches("\\|(---\\|)+") || line.startsWith("```")) {
				continue;
			}
			String plain = line.replaceFirst("^#+ ", "").replaceFirst("^- \\[ \\] ", "").replaceFirst("^- ", "");
			if (plain.startsWith("**") && plain.endsWith("**")) {
				plain = plain.substring(2, plain.length() - 2);
			}
			if (plain.startsWith("| ")) {
				plain = plain.substring(1, plain.length() - 1).replace(" | ", "  ");
			}
			text.append(plain.replaceAll("\\\\(.)", "$1")).append('\n');
		}
		return words(text.toString());
	}

	private static String words(String text) {
		return AS_OF.matcher(text).replaceAll("Figures as of (now)").replaceAll("\\s+", " ").strip();
	}

	private String call(String user, HttpMethod method, String path, int expected) throws Exception {
		return call(user, method, path, null, expected);
	}

	private String call(String user, HttpMethod method, String path, String body, int expected) throws Exception {
		MockHttpServletRequestBuilder request = request(method, path).with(httpBasic(user, FerryAppTest.DEMO_PASSWORD));
		if (body != null) {
			request.contentType("application/json").content(body);
		}
		MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
		String text = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(response.getStatus()).as("%s %s %s: %s", user, method, path, text).isEqualTo(expected);
		return text;
	}

}
