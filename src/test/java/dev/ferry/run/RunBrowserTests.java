package dev.ferry.run;

import java.time.Duration;

import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator starts the demo plan's preflight dry run from the dashboard and watches the
 * run page's progress reach "succeeded" without reloading the page.
 */
class RunBrowserTests extends BrowserTest {

	@Test
	void dryRunFromTheDashboardIsFollowedLiveToSucceeded() {
		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/ahs-v2"));
		assertThat(driver.findElement(By.id("phase-preflight")).getText()).contains("preflight");

		driver.findElement(By.cssSelector("#phase-preflight button")).click();
		waiting().until(ExpectedConditions.urlMatches(".*/runs/\\d+$"));
		((JavascriptExecutor) driver).executeScript("window.ferryPageMarker = 'same page';");

		new WebDriverWait(driver, Duration.ofSeconds(60))
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "Succeeded"));
		assertThat(((JavascriptExecutor) driver).executeScript("return window.ferryPageMarker;"))
			.as("the page was updated in place, not reloaded")
			.isEqualTo("same page");
		assertThat(driver.findElement(By.cssSelector(".progress-text")).getText()).contains("4 of 4", "100%");
		assertThat(driver.findElement(By.id("measurements")).getText()).contains("target.AhsListing", "20,000",
				"50,000", "listings-intact");
		assertThat(driver.findElement(By.id("run-log")).getText()).contains("Succeeded after 4 batch(es).");
		assertThat(driver.findElement(By.id("run-live")).getAttribute("hx-get")).as("a finished run stops polling")
			.isNull();
		screenshot("run-succeeded");

		driver.findElement(By.linkText("← Back to the plan")).click();
		assertThat(driver.findElement(By.id("phase-preflight")).getText()).contains("Dry run ready");
		assertThat(driver.findElement(By.id("dashboard-measurements")).getText()).contains("target.Listing", "30,000");
		screenshot("plan-dashboard");

		driver.findElement(By.linkText("All runs")).click();
		waiting().until(ExpectedConditions.urlToBe(url("/plans/ahs-v2/runs")));
		assertThat(driver.findElement(By.id("runs")).getText()).contains("preflight", "Dry run", "Succeeded",
				"operator");
	}

}
