package dev.ferry.mapping;

import java.nio.file.Path;
import java.util.List;

import dev.ferry.gate.ApprovalService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, "apply to all like this": a reviewer narrows the ambiguous queue by its
 * facets (the best candidate's hybridizer differs, one candidate), previews the bulk
 * accept within them with the items listed, accepts, and the store holds exactly those
 * decisions. The page fits 1440 and 800 px windows without a horizontal scroll.
 */
class QueueFacetsBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-queue-facets-browser");

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

	@Test
	void aReviewerFiltersByFacetsPreviewsTheItemsAndAcceptsThemAll() {
		Actors.succeeded(this.runs, this.approvals, "ahs-v2", "schema", RunMode.APPLY);
		Actors.succeeded(this.runs, this.approvals, "ahs-v2", "import", RunMode.DRY_RUN);
		Actors.succeeded(this.runs, this.approvals, "ahs-v2", "import", RunMode.APPLY);
		Actors.succeeded(this.runs, this.approvals, "ahs-v2", "map", RunMode.DRY_RUN);
		Coverage before = SystemActor.call(() -> this.mappings.coverage("ahs-v2", "map")).orElseThrow();

		signIn("reviewer", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.manage().window().setSize(new Dimension(1440, 1000));
		try {
			driver.get(url("/plans/ahs-v2/phases/map/queue?status=ambiguous"));
			assertThat(driver.findElements(By.cssSelector("#facet-band .facet-chip"))).isNotEmpty();
			assertThat(driver.findElement(By.id("facet-differs")).getText()).contains("hybridizer_code differs");

			// a facet: the best candidate's hybridizer differs
			driver.findElement(By.id("facet-differs-hybridizer_code")).click();
			waiting().until(ExpectedConditions.urlContains("differs=hybridizer_code"));
			assertThat(driver.findElement(By.id("facet-differs-hybridizer_code")).getAttribute("class"))
				.contains("facet-on");
			// and another: one candidate
			WebElement single = driver.findElement(By.id("facet-candidates-1"));
			long singles = Long.parseLong(single.findElement(By.cssSelector(".count")).getText().replace(",", ""));
			single.click();
			waiting().until(ExpectedConditions.urlContains("candidates=1"));
			assertThat(driver.getCurrentUrl()).contains("differs=hybridizer_code");
			List<WebElement> rows = driver.findElements(By.cssSelector("#queue-list tbody tr[id^='item-']"));
			assertThat(rows).hasSize((int) Math.min(singles, 50));
			screenshot("queue-facets-1440");

			// "apply to all like this": the preview lists the items it would decide
			driver.findElement(By.id("bulk-score")).clear();
			driver.findElement(By.id("bulk-score")).sendKeys("0.5");
			driver.findElement(By.id("bulk-preview")).click();
			waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("bulk-accept")));
			assertThat(driver.getCurrentUrl()).contains("differs=hybridizer_code", "candidates=1", "bulkScore=0.5");
			List<String> listed = driver.findElements(By.cssSelector("#bulk-items tbody tr"))
				.stream()
				.map(row -> row.getAttribute("id").substring("bulk-item-".length()))
				.toList();
			assertThat(listed).isNotEmpty();
			assertThat(driver.findElement(By.id("bulk-accept")).getText())
				.contains("Accept " + listed.size() + " item");
			assertThat(driver.findElement(By.cssSelector("#bulk-items tbody tr")).getText()).contains("→");
			screenshot("queue-bulk-preview-1440");
			driver.manage().window().setSize(new Dimension(800, 1000));
			screenshot("queue-bulk-preview-800");
			// no horizontal page scroll: within the window, and within its width less the
			// vertical scrollbar's
			assertThat(((Number) ((JavascriptExecutor) driver)
				.executeScript("return document.documentElement.scrollWidth - window.innerWidth;")).intValue())
				.as("horizontal scroll of the queue at 800 px")
				.isLessThanOrEqualTo(0);
			assertThat(((Number) ((JavascriptExecutor) driver)
				.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"))
				.intValue()).as("horizontal scrollbar of the queue at 800 px").isLessThanOrEqualTo(0);

			driver.findElement(By.id("bulk-accept")).click();
			confirmInPage();
			waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#flash .flash-success")));
			assertThat(driver.getCurrentUrl()).as("back to the same facets").contains("differs=hybridizer_code");
			assertThat(driver.findElements(By.cssSelector("#queue-list tbody tr[id^='item-']")))
				.as("what is left open of these facets")
				.hasSize((int) Math.min(singles - listed.size(), 50));
			screenshot("queue-after-bulk-800");

			// the store holds exactly the previewed decisions
			for (String key : listed) {
				MappingItem item = SystemActor.call(() -> this.mappings.item("ahs-v2", "map", key));
				assertThat(item.status()).as(key).isEqualTo(MatchStatus.MANUAL);
				assertThat(item.newKey()).as(key).isEqualTo(item.bestNewKey());
				assertThat(item.candidateCount()).isEqualTo(1);
				assertThat(item.decision().decidedBy()).isEqualTo("reviewer");
			}
			Coverage after = SystemActor.call(() -> this.mappings.coverage("ahs-v2", "map")).orElseThrow();
			assertThat(after.manual()).isEqualTo(before.manual() + listed.size());
			assertThat(after.ambiguous()).isEqualTo(before.ambiguous() - listed.size());

			// the chosen facet's chip removes it
			driver.findElement(By.id("facet-differs-hybridizer_code")).click();
			waiting().until(ExpectedConditions.not(ExpectedConditions.urlContains("differs=")));
			assertThat(driver.getCurrentUrl()).contains("candidates=1");
		}
		finally {
			driver.manage().window().setSize(new Dimension(1280, 900));
		}
	}

}
