package dev.ferry.web;

import java.nio.file.Path;
import java.util.List;

import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages fit a small laptop (800 px) and the header a phone (390 px): nothing to
 * scroll sideways on the home page, the plan dashboard, the audit log, the approvals
 * inbox and a dry run's review page, and Sign out within reach on a phone. Each page is
 * also kept as a screenshot at 1440, 800 and 390 px under {@code target/browser/}.
 */
class NarrowLayoutBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-narrow-browser");

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	RunService runs;

	@Test
	void everyPageFitsAnEightHundredPixelWindow() {
		SystemActor.call(() -> finished(this.runs.request("ahs-v2", "preflight", RunMode.DRY_RUN)));
		RunView schema = SystemActor.call(() -> finished(this.runs.request("ahs-v2", "schema", RunMode.DRY_RUN)));
		signIn("operator2", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		for (String page : List.of("/", "/plans/ahs-v2", "/audit", "/approvals", "/runs/" + schema.id() + "/review")) {
			for (int width : new int[] { 1440, 800, 390 }) {
				windowWidth(width);
				driver.get(url(page));
				waiting().until(d -> d.findElement(By.id("main")));
				screenshot("narrow" + page.replace('/', '-') + "-" + width);
				if (width >= 800) {
					assertNoHorizontalScroll(page + " at " + width + " px");
				}
			}
		}
	}

	@Test
	void signOutIsWithinReachOnAPhone() {
		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		windowWidth(390);
		driver.get(url("/plans/ahs-v2"));
		screenshot("narrow-header-390");
		assertNoHorizontalScroll("the dashboard's header at 390 px");
		WebElement signOut = driver.findElement(By.xpath("//header//button[normalize-space()='Sign out']"));
		assertThat(signOut.isDisplayed()).isTrue();
		// inside the window, and the element a click there reaches is the button itself
		Boolean reachable = (Boolean) ((JavascriptExecutor) driver).executeScript("""
				var b = arguments[0].getBoundingClientRect();
				var x = b.left + b.width / 2, y = b.top + b.height / 2;
				return b.left >= 0 && b.right <= document.documentElement.clientWidth && b.width > 0
				  && arguments[0].contains(document.elementFromPoint(x, y));""", signOut);
		assertThat(reachable).as("Sign out is inside the window and not covered").isTrue();
		signOut.click();
		waiting().until(ExpectedConditions.urlContains("/login"));
		assertThat(driver.findElements(By.xpath("//header//button[normalize-space()='Sign out']"))).isEmpty();
	}

	private RunView finished(RunView run) {
		RunView done = Await.finished(this.runs, run);
		assertThat(done.state()).as(done.error()).isEqualTo(RunState.SUCCEEDED);
		return done;
	}

}
