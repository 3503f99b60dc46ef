package dev.ferry.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh demo workspace shows the five sample plans of the scenario library on the home
 * page, and an operator dry-runs, from each plan's dashboard, the phases that need no
 * earlier apply: the preflight and the schema change after it.
 */
class ScenarioLibraryBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-scenarios");

	static final List<String> PLANS = List.of("ahs-v2", "task-model-v2", "legacy-identities", "schema-alignment",
			"baseline-registration");

	@DynamicPropertySource
	static void freshWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Test
	void aFreshDemoShowsTheFivePlansAndEachDryRunsFromItsDashboard() {
		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		String home = driver.findElement(By.id("home-plans")).getText();
		for (String plan : PLANS) {
			assertThat(home).as("the home page lists " + plan).contains(plan);
		}
		screenshot("scenario-library-home");

		for (String plan : PLANS) {
			driver.get(url("/plans/" + plan));
			List<WebElement> cards = driver.findElements(By.cssSelector("#pipeline > li.phase-card"));
			assertThat(cards).as(plan + " has phases").hasSizeGreaterThanOrEqualTo(2);
			List<String> phases = cards.stream().limit(2).map(card -> card.getAttribute("id")).toList();
			for (String phase : phases) {
				driver.get(url("/plans/" + plan));
				driver.findElement(By.cssSelector("#" + phase + " form button")).click();
				waiting().until(ExpectedConditions.urlMatches(".*/runs/\\d+$"));
				new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.or(
						ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "Succeeded"),
						ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "Failed")));
				assertThat(driver.findElement(By.id("run-state")).getText())
					.as(plan + " " + phase + ": " + driver.findElement(By.id("run-log")).getText())
					.contains("Succeeded");
			}
			driver.get(url("/plans/" + plan));
			for (String phase : phases) {
				assertThat(driver.findElement(By.id(phase)).getText()).as(plan + " " + phase).contains("Dry run ready");
			}
			screenshot("scenario-" + plan);
		}
	}

}
