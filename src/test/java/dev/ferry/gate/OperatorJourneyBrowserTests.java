package dev.ferry.gate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

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
 * The operator's journey of testing.md on a demo workspace of its own: an operator runs
 * the schema phase's dry run and sees Apply locked with the reason, a second operator
 * approves that dry run, the first applies it, watches it finish, and rolls it back.
 */
class OperatorJourneyBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-journey-browser");

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Test
	void anOperatorAppliesWhatASecondOperatorApprovedAndRollsItBack() {
		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/ahs-v2"));
		driver.findElement(By.cssSelector("#phase-schema button[type=submit]")).click();
		waitForRun("Succeeded");
		String dryRun = driver.getCurrentUrl().replaceAll(".*/runs/", "");

		driver.get(url("/plans/ahs-v2"));
		WebElement apply = applyButton();
		assertThat(apply.isEnabled()).as("locked until approved").isFalse();
		assertThat(driver.findElement(By.id("locks-schema")).getText()).contains("Dry run #" + dryRun
				+ " needs 1 operator approval(s) from someone other than operator, who requested it; it has 0.");
		assertThat(driver.findElements(By.cssSelector("#phase-schema .approve-form")))
			.as("nobody approves their own dry run")
			.isEmpty();
		screenshot("journey-apply-locked");
		signOut();

		signIn("operator2", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		// the home page says what waits for this operator
		assertThat(driver.findElement(By.id("needs")).getText())
			.contains("ahs-v2 · schema: dry run #" + dryRun + " waits for approval");
		driver.findElement(By.linkText("ahs-v2 · schema: dry run #" + dryRun + " waits for approval")).click();
		// the review page: the statements in full, and the decision beside them
		waiting().until(ExpectedConditions.urlToBe(url("/runs/" + dryRun + "/review")));
		assertThat(driver.findElement(By.id("sql-badge")).getText()).contains("Parsed only, not executed, on app");
		assertThat(driver.findElement(By.id("sql-apply")).getText()).contains("CREATE TABLE AhsListingV2Map");
		for (int width : new int[] { 1440, 800 }) {
			driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
			driver.navigate().refresh();
			assertThat((Boolean) ((org.openqa.selenium.JavascriptExecutor) driver)
				.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
				.as("no sideways scroll at " + width)
				.isTrue();
			screenshot("journey-review-" + width);
		}
		driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1000));
		driver.findElement(By.id("approve-comment")).sendKeys("the two tables of the design");
		driver.findElement(By.cssSelector("#approve-form button")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"),
				"You approved dry run #" + dryRun + " of phase schema."));
		assertThat(driver.findElement(By.id("review-approved-by")).getText()).contains("Approved by operator2");
		assertThat(driver.findElement(By.id("conversation")).getText()).contains("operator2 approved")
			.contains("the two tables of the design");
		driver.get(url("/plans/ahs-v2"));
		assertThat(driver.findElement(By.cssSelector("#phase-schema .approvals-list")).getText())
			.contains("Approved by operator2");
		signOut();

		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/ahs-v2"));
		assertThat(applyButton().isEnabled()).isTrue();
		assertThat(driver.findElements(By.id("locks-schema"))).isEmpty();
		applyButton().click();
		confirmInPage();
		waitForRun("Succeeded");
		assertThat(driver.findElement(By.id("run-log")).getText()).contains("Requested by operator.");
		screenshot("journey-applied");

		driver.get(url("/plans/ahs-v2"));
		assertThat(driver.findElement(By.id("phase-schema")).getText()).contains("Applied");
		driver.findElement(By.cssSelector("#phase-schema form.rollback-form button, #phase-schema button.btn-danger"))
			.click();
		confirmInPage();
		waitForRun("Succeeded");
		assertThat(driver.getPageSource()).contains("Rollback");
		driver.get(url("/plans/ahs-v2"));
		assertThat(driver.findElement(By.id("phase-schema")).getText()).contains("Rolled back");
		screenshot("journey-rolled-back");
	}

	private WebElement applyButton() {
		return driver.findElement(By.cssSelector("#phase-schema .apply-form button[type=submit]"));
	}

	private void waitForRun(String state) {
		waiting().until(ExpectedConditions.urlMatches(".*/runs/\\d+$"));
		new WebDriverWait(driver, Duration.ofSeconds(60))
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), state));
	}

	private void signOut() {
		driver.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
		waiting().until(ExpectedConditions.urlContains("/login"));
	}

}
