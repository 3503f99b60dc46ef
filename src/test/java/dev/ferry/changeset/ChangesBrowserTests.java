package dev.ferry.changeset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;

import dev.ferry.gate.ApprovalService;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A product owner reads the demo plan's import dry run in the browser: opens the diff
 * from the run page, switches to the rejected rows and reads why each was refused,
 * searches one key, and pages through the inserts, all without reloading the page. The
 * demo workspace is its own (a data folder of this test), because the schema phase is
 * applied first. Then (in this order, as the workspace moves on: ahs-v2's import is
 * applied) the inserts as a grid, and the supplier's second delivery read by changed column
 * and by the target rows it no longer has.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangesBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-changes-browser");

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	PlanService plans;

	@Autowired
	ChangeSetService changeSets;

	@Test
	@Order(1)
	void aProductOwnerFiltersTheDryRunDiff() {
		finished(Actors.requestApply(this.runs, this.approvals, "ahs-v2", "schema"));
		RunView dryRun = finished(SystemActor.call(() -> this.runs.request("ahs-v2", "import", RunMode.DRY_RUN)));

		signIn("owner", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/runs/" + dryRun.id()));
		driver.findElement(By.linkText("Review the changes")).click();
		waiting().until(ExpectedConditions.urlToBe(url("/runs/" + dryRun.id() + "/changes")));
		assertThat(driver.findElement(By.id("change-summary")).getText()).contains("50,000", "49,982", "18",
				"fragrant: type boolean", "name: required", "year: type integer", dryRun.changeSetSha256());
		assertThat(rows("change-insert")).hasSize(50);
		((JavascriptExecutor) driver).executeScript("window.ferryPageMarker = 'same page';");

		driver.findElement(By.cssSelector(".op-tab-rejected")).click();
		waiting().until(ExpectedConditions.urlContains("op=rejected"));
		waiting().until(d -> rows("change-rejected").size() == 18);
		assertThat(rows("change-insert")).isEmpty();
		String reasons = driver.findElement(By.id("changes-list")).getText();
		assertThat(reasons).contains("fails the rule type integer", "fails the rule type boolean",
				"fails the rule required", "circa 1990");
		screenshot("changes-rejected");

		String key = rows("change-rejected").get(3).findElement(By.cssSelector("td.key")).getText().strip();
		driver.findElement(By.id("changes-q")).sendKeys(key);
		waiting().until(ExpectedConditions.urlContains("q=" + key));
		waiting().until(d -> rows("change-rejected").size() == 1);
		assertThat(rows("change-rejected").get(0).findElement(By.cssSelector("td.key")).getText()).isEqualTo(key);

		driver.findElement(By.id("changes-q")).clear();
		driver.findElement(By.cssSelector(".op-tab-insert")).click();
		waiting().until(d -> rows("change-insert").size() == 50 && rows("change-rejected").isEmpty());
		driver.findElement(By.id("changes-next")).click();
		waiting().until(ExpectedConditions.urlContains("after="));
		waiting().until(d -> Long.parseLong(rows("change-insert").get(0).getAttribute("id").substring(7)) > 50);
		assertThat(((JavascriptExecutor) driver).executeScript("return window.ferryPageMarker;"))
			.as("filters and pages were swapped in place, not reloaded")
			.isEqualTo("same page");
		screenshot("changes-inserts-page-2");

		// where the page is, and the way to the end and back
		java.util.regex.Matcher second = java.util.regex.Pattern.compile("Rows 51–100 of ([\\d,]+)")
			.matcher(driver.findElement(By.id("changes-position")).getText());
		assertThat(second.find()).as(driver.findElement(By.id("changes-position")).getText()).isTrue();
		long inserts = Long.parseLong(second.group(1).replace(",", ""));
		driver.findElement(By.id("changes-last")).click();
		waiting().until(ExpectedConditions.urlContains("last=true"));
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("changes-position"),
				String.format(java.util.Locale.ROOT, "–%,d of %,d", inserts, inserts)));
		assertThat(driver.findElements(By.id("changes-next"))).as("nothing after the last page").isEmpty();
		long lastFrom = Long.parseLong(driver.findElement(By.id("changes-position"))
			.getText()
			.replaceAll("Rows ([\\d,]+)–.*", "$1")
			.replace(",", ""));
		assertThat(lastFrom).isEqualTo(inserts - rows("change-insert").size() + 1);
		driver.findElement(By.id("changes-previous")).click();
		waiting().until(ExpectedConditions.urlContains("before="));
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("changes-position"),
				String.format(java.util.Locale.ROOT, "Rows %,d–%,d of %,d", lastFrom - 50, lastFrom - 1, inserts)));
		driver.findElement(By.id("changes-first")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("changes-position"),
				String.format(java.util.Locale.ROOT, "Rows 1–50 of %,d", inserts)));
		assertThat(driver.findElements(By.id("changes-previous"))).as("nothing before the first page").isEmpty();
		driver.findElement(By.id("changes-next")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("changes-position"), "Rows 51–100"));

		// the URL is the state: opening it afresh shows the same page
		String current = driver.getCurrentUrl();
		driver.get(current);
		assertThat(driver.findElement(By.cssSelector(".op-tab-insert input")).isSelected()).isTrue();
		assertThat(Long.parseLong(rows("change-insert").get(0).getAttribute("id").substring(7))).isGreaterThan(50);

		// a rule's link lists exactly the rows that rule rejected
		driver.findElement(By.linkText("year: type integer")).click();
		waiting().until(ExpectedConditions.urlContains("rule="));
		waiting().until(d -> !rows("change-rejected").isEmpty());
		assertThat(rows("change-rejected")).hasSize(6)
			.allSatisfy(row -> assertThat(row.getText()).contains("year").contains("type integer"));
		assertThat(rows("change-insert")).isEmpty();
		assertThat(driver.findElement(By.id("rule-filter")).getText())
			.contains("Only the rows rejected by year: type integer.");
		assertThat(driver.findElement(By.id("changes-position")).getText()).isEqualTo("Rows 1–6 of 6");
		screenshot("changes-rule-year");

		// the inserts by column: every id distinct, no name empty
		assertThat(driver.findElement(By.id("profile-inserted-id")).getText()).contains("> 10,000");
		assertThat(driver.findElement(By.id("profile-inserted-name")).getText().toLowerCase(java.util.Locale.ROOT)).startsWith("name 0");
		for (int width : new int[] { 1440, 800 }) {
			driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
			driver.navigate().refresh();
			((JavascriptExecutor) driver).executeScript("document.getElementById('change-profile').scrollIntoView()");
			assertThat((Boolean) ((JavascriptExecutor) driver)
				.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
				.as("no sideways scroll at " + width)
				.isTrue();
			screenshot("changes-profile-" + width);
		}
		driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1000));
	}

	/** The later delivery, read by a plan of ahs-v2's import onto the table it loaded. */
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
	@Order(2)
	void aProductOwnerReadsInsertsAsAGridAndUpdatesByTheColumnTheyChange() throws Exception {
		RunView firstDelivery = Actors.approved(this.runs, this.approvals, "ahs-v2", "import");
		signIn("owner", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));

		// the inserts: one column per column, the header once, NULL in its cell
		for (int width : new int[] { 1440, 800 }) {
			driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
			driver.get(url("/runs/" + firstDelivery.id() + "/changes?op=insert"));
			WebElement grid = driver.findElement(By.id("change-grid"));
			assertThat(grid.findElements(By.cssSelector("thead th"))).extracting(WebElement::getText)
				.containsExactly("#", "id", "name", "hybridizer", "year", "fragrant");
			assertThat(rows("change-insert")).hasSize(50)
				.allSatisfy(row -> assertThat(row.findElements(By.tagName("td"))).hasSize(6));
			assertThat(grid.findElements(By.cssSelector("tbody td .null"))).as("a NULL hybridizer or fragrance")
				.isNotEmpty()
				.allSatisfy(cell -> assertThat(cell.getText()).isEqualTo("NULL"));
			((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", grid);
			assertNoSidewaysScroll(width);
			assertThat(((JavascriptExecutor) driver).executeScript(
					"return getComputedStyle(document.querySelector('.change-grid-scroll')).overflowX"))
				.isEqualTo("auto");
			screenshot("changes-grid-" + width);
		}
		// a wide table (long values in every column) scrolls inside the grid's box, not the
		// page
		driver.manage().window().setSize(new org.openqa.selenium.Dimension(800, 1000));
		((JavascriptExecutor) driver).executeScript("""
				document.querySelectorAll('#change-grid tbody tr:first-child td').forEach(
				  cell => cell.textContent = 'a long value '.repeat(12));""");
		assertThat((Boolean) ((JavascriptExecutor) driver).executeScript(
				"const box = document.querySelector('.change-grid-scroll'); return box.scrollWidth > box.clientWidth"))
			.as("the grid is wider than its box")
			.isTrue();
		assertNoSidewaysScroll(800);
		screenshot("changes-grid-wide-800");
		driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1000));

		// the supplier's second delivery, without 20 cultivars the target still holds
		finished(Actors.requestApply(this.runs, this.approvals, "ahs-v2", "import"));
		Path source = dev.ferry.demo.internal.CultivarDataset.sourceFile(DATA);
		assertThat(dev.ferry.demo.internal.CultivarDataset.deliverSecondBatch(source)).isPresent();
		SystemActor.run(() -> this.plans.save(null, SECOND_DELIVERY.getBytes(StandardCharsets.UTF_8),
				dev.ferry.plan.PlanOrigin.API));
		// ids the delivery leaves as they were: not among the rows of its own change set
		RunView whole = finished(
				SystemActor.call(() -> this.runs.request("second-delivery", "import", RunMode.DRY_RUN)));
		java.util.Set<Object> changed = new java.util.HashSet<>();
		SystemActor.call(() -> this.changeSets.changes(whole.id(), ChangeFilter.ALL, null, 500))
			.items()
			.forEach(change -> changed.add(change.key().get("id")));
		try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + source.toAbsolutePath());
				PreparedStatement withdraw = sqlite.prepareStatement("DELETE FROM cultivars WHERE id = ?")) {
			int withdrawn = 0;
			for (long id = 7; withdrawn < 20; id += 2_477) {
				if (!changed.contains(id)) {
					withdraw.setLong(1, id);
					withdrawn += withdraw.executeUpdate();
				}
			}
		}
		RunView dryRun = finished(
				SystemActor.call(() -> this.runs.request("second-delivery", "import", RunMode.DRY_RUN)));
		driver.get(url("/runs/" + dryRun.id() + "/changes"));
		assertThat(driver.findElement(By.id("without-source")).getText())
			.contains("20 target rows have no source row: they will be kept (delete-missing is off).");

		// the profile's changed column leads to exactly its updates
		driver.findElement(By.cssSelector("#profile-updated-hybridizer a")).click();
		waiting().until(ExpectedConditions.urlContains("column=hybridizer"));
		assertThat(rows("change-update")).hasSize(50)
			.allSatisfy(row -> assertThat(row.findElement(By.cssSelector("ul.cells")).getText()).contains("hybridizer"));
		assertThat(driver.findElement(By.id("changes-position")).getText()).isEqualTo("Rows 1–50 of 50");
		assertThat(driver.findElement(By.id("column-filter")).getText())
			.contains("Only the updates that change hybridizer.");
		for (int width : new int[] { 1440, 800 }) {
			driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
			driver.navigate().refresh();
			((JavascriptExecutor) driver).executeScript("document.getElementById('changes-list').scrollIntoView()");
			assertNoSidewaysScroll(width);
			screenshot("changes-column-hybridizer-" + width);
		}
		driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1000));

		// the filter bar's select, swapped in place
		((JavascriptExecutor) driver).executeScript("window.ferryPageMarker = 'same page';");
		new Select(driver.findElement(By.id("changes-column"))).selectByVisibleText("name");
		waiting().until(ExpectedConditions.urlContains("column=name"));
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("column-filter"), "change name."));
		assertThat(rows("change-update")).hasSize(50)
			.allSatisfy(row -> assertThat(row.findElement(By.cssSelector("ul.cells")).getText()).startsWith("name"));
		assertThat(driver.findElement(By.id("changes-position")).getText()).isEqualTo("Rows 1–50 of 50");
		assertThat(((JavascriptExecutor) driver).executeScript("return window.ferryPageMarker;"))
			.isEqualTo("same page");

		// the rows the source no longer has: their own tab, a grid of what stays
		driver.findElement(By.cssSelector(".op-tab-kept")).click();
		waiting().until(ExpectedConditions.urlContains("op=kept"));
		waiting().until(d -> rows("change-kept").size() == 20);
		assertThat(driver.findElement(By.id("changes-position")).getText()).isEqualTo("Rows 1–20 of 20");
		assertThat(driver.findElement(By.id("kept-help")).getText()).contains("the apply leaves them as they are");
		assertThat(rows("change-update")).isEmpty();
		for (int width : new int[] { 1440, 800 }) {
			driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
			driver.navigate().refresh();
			assertNoSidewaysScroll(width);
			screenshot("changes-kept-" + width);
		}

		// every change: the runs of inserts as grids among the updates and rejected rows
		driver.manage().window().setSize(new org.openqa.selenium.Dimension(800, 1000));
		driver.get(url("/runs/" + dryRun.id() + "/changes"));
		((JavascriptExecutor) driver).executeScript("document.getElementById('change-summary').scrollIntoView()");
		screenshot("changes-summary-800");
		driver.get(url("/runs/" + dryRun.id() + "/changes?last=true"));
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("changes-position"), "of 208"));
		waiting().until(d -> !d.findElements(By.cssSelector("#changes-list tr.grid-run-insert")).isEmpty());
		assertThat(rows("change-insert")).hasSize(40);
		assertThat(rows("change-kept")).isEmpty();
		((JavascriptExecutor) driver).executeScript(
				"document.querySelector('#changes-list tr.grid-run-insert').scrollIntoView()");
		assertNoSidewaysScroll(800);
		screenshot("changes-all-last-800");
		driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1000));
	}

	private static void assertNoSidewaysScroll(int width) {
		assertThat((Boolean) ((JavascriptExecutor) driver)
			.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
			.as("no sideways scroll of the page at " + width)
			.isTrue();
	}

	private static List<WebElement> rows(String rowClass) {
		return driver.findElements(By.cssSelector("#changes-list tr." + rowClass));
	}

	private RunView finished(RunView run) {
		Await.until(() -> !SystemActor.call(() -> this.runs.get(run.id())).state().active(), "run #" + run.id());
		RunView done = SystemActor.call(() -> this.runs.get(run.id()));
		assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(RunState.SUCCEEDED);
		return done;
	}


}
