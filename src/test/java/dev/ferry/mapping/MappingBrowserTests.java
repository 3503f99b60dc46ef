package dev.ferry.mapping;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.ferry.gate.ApprovalService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reviewer works the demo plan's review queues in the browser: resolves an ambiguous
 * item through the review form with a keyboard shortcut and sees the coverage rise on the
 * dashboard; resolves an unresolved (misspelled) item by searching the new table. The
 * demo workspace is the test's own: the schema and the import are applied first.
 */
class MappingBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-mapping-browser");

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
	void aReviewerResolvesAnAmbiguousItemAndTheCoverageRises() {
		Coverage before = coverage();
		signIn("reviewer", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/ahs-v2"));
		assertThat(text("coverage-manual")).isEqualTo(String.format("%,d", before.manual()));
		assertThat(text("coverage-ambiguous")).isEqualTo(String.format("%,d", before.ambiguous()));

		driver.findElement(By.id("queue-link-ambiguous")).click();
		waiting().until(ExpectedConditions.urlContains("/phases/map/queue?status=ambiguous"));
		WebElement first = driver.findElement(By.cssSelector("#queue-list tbody tr"));
		String oldKey = first.findElement(By.cssSelector("td.key")).getText().strip();
		first.findElement(By.linkText("Review")).click();
		waiting().until(ExpectedConditions.urlContains("/queue/item?key=" + oldKey));
		String pick = driver.findElement(By.cssSelector("#listed tr.cand-row .cand-key code")).getText().strip();
		assertThat(driver.findElement(By.id("shortcuts")).getText()).contains("pick that candidate");
		screenshot("review-ambiguous");

		// "1" picks the first candidate, saves, and swaps in the next open item
		new Actions(driver).sendKeys("1").perform();
		waiting().until(d -> d.findElements(By.id("last-decision"))
			.stream()
			.anyMatch(note -> note.getText().contains("Mapped " + oldKey + " → " + pick)));
		assertThat(driver.getCurrentUrl()).doesNotContain("key=" + oldKey + "&");
		assertThat(driver.findElement(By.id("review-item")).getAttribute("data-key")).isNotEqualTo(oldKey);

		driver.get(url("/plans/ahs-v2"));
		assertThat(text("coverage-manual")).isEqualTo(String.format("%,d", before.manual() + 1));
		assertThat(text("coverage-ambiguous")).isEqualTo(String.format("%,d", before.ambiguous() - 1));
		assertThat(driver.findElement(By.id("mapping-map")).getText()).contains(
				String.format("= %,d / %,d", before.auto() + before.manual() + 1, before.all() - before.excluded()));
		screenshot("dashboard-coverage-after-a-pick");
		MappingItem item = SystemActor.call(() -> this.mappings.item("ahs-v2", "map", oldKey));
		assertThat(item.status()).isEqualTo(MatchStatus.MANUAL);
		assertThat(item.newKey()).isEqualTo(pick);
		assertThat(item.decision().decidedBy()).isEqualTo("reviewer");
	}

	@Test
	void aReviewerResolvesAnUnresolvedItemBySearchingTheNewTable() {
		signIn("reviewer", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		// an unresolved item a search can resolve: a misspelled name, and a word of it
		// spelled right (10 of the 280 have no cultivar at all, and a misspelled word
		// finds nothing like it)
		String oldKey = null;
		String name = null;
		String word = null;
		search: for (MappingItem open : SystemActor
			.call(() -> this.mappings.items("ahs-v2", "map", Queue.UNRESOLVED, null, null, 50))
			.items()) {
			String oldName = open.old().get(0);
			for (String w : java.util.Arrays.stream(oldName.strip().split("\\s+"))
				.sorted(java.util.Comparator.comparingInt(String::length).reversed())
				.toList()) {
				if (SystemActor.call(() -> this.mappings.search("ahs-v2", "map", w, open.oldKey(), 20))
					.stream()
					.anyMatch(c -> levenshtein(c.record().get(0).toLowerCase(), oldName.toLowerCase()) <= 2)) {
					oldKey = open.oldKey();
					name = oldName.strip();
					word = w;
					break search;
				}
			}
		}
		assertThat(oldKey).as("an unresolved item a search resolves").isNotNull();
		String key = oldKey;
		driver.get(url("/plans/ahs-v2/phases/map/queue?status=unresolved"));
		assertThat(text("queue-list")).contains(key);
		driver.findElement(By.cssSelector("#queue-list a[href*='key=" + key + "&']")).click();
		waiting().until(ExpectedConditions.urlContains("/queue/item?key=" + key));
		assertThat(driver.findElement(By.cssSelector("#old-record td.block-col")).getText().strip()).isEqualTo(name);

		// "/" goes to the search box; results come in place
		new Actions(driver).sendKeys("/").perform();
		driver.switchTo().activeElement().sendKeys(word);
		waiting().until(d -> !d.findElements(By.cssSelector("#found tr.cand-row")).isEmpty());
		assertThat(driver.findElement(By.id("found")).getText()).containsIgnoringCase(word);
		// the reviewer picks the result whose name is closest to the old one (the
		// planted misspellings are one or two edits from their cultivar)
		List<WebElement> keys = driver.findElements(By.cssSelector("#found tr.cand-row .cand-key code"));
		List<WebElement> names = driver.findElements(By.cssSelector("#found tr.cand-row td.block-col"));
		int closest = 0;
		for (int i = 1; i < keys.size(); i++) {
			if (distance(names.get(i), name) < distance(names.get(closest), name)) {
				closest = i;
			}
		}
		String found = keys.get(closest).getText().strip();
		assertThat(distance(names.get(closest), name)).isLessThanOrEqualTo(2);
		screenshot("review-unresolved-search");
		driver.findElements(By.cssSelector("#found tr.cand-row button.pick")).get(closest).click();
		waiting().until(d -> d.findElements(By.id("last-decision"))
			.stream()
			.anyMatch(note -> note.getText().contains("Mapped " + key + " → " + found)));

		MappingItem item = SystemActor.call(() -> this.mappings.item("ahs-v2", "map", key));
		assertThat(item.computed()).isEqualTo(MatchStatus.UNRESOLVED);
		assertThat(item.status()).isEqualTo(MatchStatus.MANUAL);
		assertThat(item.newKey()).isEqualTo(found);
		// the store agrees: the pick is the new record one or two edits from the old name
		String right = SystemActor.call(() -> this.mappings.search("ahs-v2", "map", found, key, 1))
			.get(0)
			.record()
			.get(0);
		assertThat(levenshtein(right.toLowerCase(), name.toLowerCase())).isLessThanOrEqualTo(2);
		new Actions(driver).sendKeys(Keys.ESCAPE).perform();
	}

	/**
	 * Acceptance (b) of issue 21: a misspelled unresolved item is resolved from its first
	 * suggestion with one key press; the next item is swapped in without a reload, and U
	 * there undoes the decision and brings the item back.
	 */
	@Test
	void aReviewerResolvesAMisspelledItemFromASuggestionWithOneKeyAndUndoesItWithU() {
		MappingItem misspelled = SystemActor
			.call(() -> this.mappings.items("ahs-v2", "map", Queue.UNRESOLVED, null, null, 100))
			.items()
			.stream()
			.filter(open -> !open.suggestions().isEmpty()
					&& levenshtein(open.suggestions().get(0).record().get(0).toLowerCase(),
							open.old().get(0).toLowerCase()) <= 2)
			.findFirst()
			.orElseThrow();
		String key = misspelled.oldKey();
		String suggested = misspelled.suggestions().get(0).newKey();
		signIn("reviewer", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/ahs-v2/phases/map/queue/item?status=unresolved&key=" + key));
		assertThat(driver.findElement(By.id("suggestions-note")).getText()).contains("closest names");
		assertThat(driver.findElement(By.cssSelector("#listed tr.cand-row .cand-key code")).getText().strip())
			.isEqualTo(suggested);
		assertThat(driver.findElement(By.id("claim")).getText()).contains("Held for you");
		// a marker that survives a swap but not a page load
		((JavascriptExecutor) driver).executeScript("window.ferryNoReload = true;");
		screenshot("review-suggestion");

		new Actions(driver).sendKeys("1").perform();
		waiting().ignoring(StaleElementReferenceException.class)
			.until(d -> d.findElements(By.id("last-decision"))
				.stream()
				.anyMatch(note -> note.getText().contains("Mapped " + key + " → " + suggested)));
		String next = driver.findElement(By.id("review-item")).getAttribute("data-key");
		assertThat(next).isNotEqualTo(key);
		assertThat(driver.getCurrentUrl()).contains("key=" + next + "&");
		assertThat(((JavascriptExecutor) driver).executeScript("return window.ferryNoReload === true;"))
			.as("the next item was swapped in, not loaded")
			.isEqualTo(true);
		MappingItem decided = SystemActor.call(() -> this.mappings.item("ahs-v2", "map", key));
		assertThat(decided.status()).isEqualTo(MatchStatus.MANUAL);
		assertThat(decided.newKey()).isEqualTo(suggested);
		screenshot("review-after-a-suggestion");

		new Actions(driver).sendKeys("u").perform();
		waiting().ignoring(StaleElementReferenceException.class)
			.until(d -> key.equals(d.findElement(By.id("review-item")).getAttribute("data-key")));
		assertThat(driver.findElement(By.id("last-decision")).getText())
			.contains("The decision on old record " + key + " is undone; it is unresolved again.");
		assertThat(driver.findElement(By.id("item-status")).getText()).isEqualToIgnoringCase("unresolved");
		MappingItem undone = SystemActor.call(() -> this.mappings.item("ahs-v2", "map", key));
		assertThat(undone.status()).isEqualTo(MatchStatus.UNRESOLVED);
		assertThat(undone.newKey()).isNull();
		assertThat(((JavascriptExecutor) driver).executeScript("return window.ferryNoReload === true;"))
			.isEqualTo(true);

		// the review page fits a narrow window: the list scrolls in its card, not the
		// page
		driver.manage().window().setSize(new Dimension(800, 900));
		try {
			screenshot("review-suggestion-800");
			assertThat(((Number) ((JavascriptExecutor) driver)
				.executeScript("return document.documentElement.scrollWidth - window.innerWidth;")).intValue())
				.as("horizontal scroll of the review page at 800 px")
				.isLessThanOrEqualTo(0);
		}
		finally {
			driver.manage().window().setSize(new Dimension(1280, 900));
		}
	}

	/**
	 * The simple cases at one key in the queue itself: J selects an item, A accepts its
	 * best match in its row (the row is swapped, not the page), U undoes it; the queue
	 * fits 800 px.
	 */
	@Test
	void aReviewerAcceptsABestMatchInTheQueueWithOneKeyAndUndoesIt() {
		signIn("reviewer", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/ahs-v2/phases/map/queue?status=ambiguous"));
		((JavascriptExecutor) driver).executeScript("window.ferryNoReload = true;");
		new Actions(driver).sendKeys("j").perform();
		WebElement row = driver.findElement(By.cssSelector("#queue-list tr.row-selected"));
		String key = row.getAttribute("id").substring("item-".length());
		String best = row.findElement(By.cssSelector(".inline-match code")).getText().strip();
		new Actions(driver).sendKeys("a").perform();
		waiting().ignoring(StaleElementReferenceException.class)
			.until(d -> d.findElement(By.id("item-" + key)).getAttribute("class").contains("row-accepted"));
		assertThat(driver.findElement(By.id("item-" + key)).getText()).contains("manual", "→ " + best);
		MappingItem item = SystemActor.call(() -> this.mappings.item("ahs-v2", "map", key));
		assertThat(item.status()).isEqualTo(MatchStatus.MANUAL);
		assertThat(item.newKey()).isEqualTo(best);
		screenshot("queue-accepted-in-row");

		new Actions(driver).sendKeys("u").perform();
		waiting().ignoring(StaleElementReferenceException.class)
			.until(d -> !d.findElement(By.id("item-" + key)).getAttribute("class").contains("row-accepted"));
		assertThat(SystemActor.call(() -> this.mappings.item("ahs-v2", "map", key)).status())
			.isEqualTo(MatchStatus.AMBIGUOUS);
		assertThat(((JavascriptExecutor) driver).executeScript("return window.ferryNoReload === true;"))
			.isEqualTo(true);
		driver.manage().window().setSize(new Dimension(800, 900));
		try {
			screenshot("queue-800");
			assertThat(((Number) ((JavascriptExecutor) driver)
				.executeScript("return document.documentElement.scrollWidth - window.innerWidth;")).intValue())
				.as("horizontal scroll of the queue at 800 px")
				.isLessThanOrEqualTo(0);
		}
		finally {
			driver.manage().window().setSize(new Dimension(1280, 900));
		}
	}

	/**
	 * Acceptance (c) of issue 21: two reviewers signed in at once who start on the same
	 * queue get different items, and each sees which item the other has open.
	 */
	@Test
	void twoReviewersOnTheSameQueueGetDifferentItems() {
		WebDriver second = newBrowser();
		try {
			signIn("reviewer", FerryAppTest.DEMO_PASSWORD);
			waiting().until(ExpectedConditions.urlToBe(url("/")));
			second.get(url("/login"));
			second.findElement(By.id("username")).sendKeys("reviewer2");
			second.findElement(By.id("password")).sendKeys(FerryAppTest.DEMO_PASSWORD);
			second.findElement(By.cssSelector("form button[type=submit]")).click();
			new WebDriverWait(second, Duration.ofSeconds(10)).until(ExpectedConditions.urlToBe(url("/")));

			driver.get(url("/plans/ahs-v2/phases/map/queue?status=ambiguous"));
			second.get(url("/plans/ahs-v2/phases/map/queue?status=ambiguous"));
			driver.findElement(By.id("start-reviewing")).click();
			waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("review-item")));
			String mine = driver.findElement(By.id("review-item")).getAttribute("data-key");
			second.findElement(By.id("start-reviewing")).click();
			new WebDriverWait(second, Duration.ofSeconds(10))
				.until(ExpectedConditions.presenceOfElementLocated(By.id("review-item")));
			String theirs = second.findElement(By.id("review-item")).getAttribute("data-key");
			assertThat(theirs).as("the second reviewer's first item").isNotEqualTo(mine);

			// each queue list says who has which item open
			driver.get(url("/plans/ahs-v2/phases/map/queue?status=ambiguous"));
			assertThat(driver.findElement(By.id("item-" + theirs)).getText()).contains("reviewer2 has it open");
			assertThat(driver.findElement(By.id("item-" + mine)).getText()).contains("you have it open");
			screenshot("queue-with-claims");
			// opening the other's item says so, and does not take it
			driver.get(url("/plans/ahs-v2/phases/map/queue/item?status=ambiguous&key=" + theirs));
			assertThat(driver.findElement(By.id("claim")).getText()).contains("reviewer2 has this item open");
			assertThat(SystemActor.call(() -> this.mappings.claims("ahs-v2", "map")).get(theirs).holder())
				.isEqualTo("reviewer2");

			// the second reviewer's decision takes them past the first's item, too
			new Actions(second).sendKeys("1").perform();
			new WebDriverWait(second, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
				.until(d -> !theirs.equals(d.findElement(By.id("review-item")).getAttribute("data-key")));
			assertThat(second.findElement(By.id("review-item")).getAttribute("data-key")).isNotEqualTo(mine);
		}
		finally {
			second.quit();
		}
	}

	/** Edits between a result's name (its cell, without the marks) and the old name. */
	private static int distance(WebElement cell, String name) {
		String text = cell.getText();
		for (WebElement small : cell.findElements(By.tagName("small"))) {
			text = text.replace(small.getText(), "");
		}
		return levenshtein(text.replace("✓", "").replace("✗", "").strip().toLowerCase(), name.toLowerCase());
	}

	private static int levenshtein(String a, String b) {
		return new org.apache.commons.text.similarity.LevenshteinDistance().apply(a, b);
	}

	private static String text(String id) {
		return driver.findElement(By.id(id)).getText().strip();
	}

	private Coverage coverage() {
		return SystemActor.call(() -> this.mappings.coverage("ahs-v2", "map")).orElseThrow();
	}

}
