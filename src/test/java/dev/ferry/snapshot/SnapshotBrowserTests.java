package dev.ferry.snapshot;

import java.nio.file.Path;
import java.time.Duration;

import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's baseline-registration plan, as an operator and then an admin see it: the
 * register phase's apply is held back until a snapshot is taken, the snapshot phase's
 * card takes one, and the snapshots page lists it; only the admin gets the downloads and
 * the restore sources. At 1,440 and 800 px nothing scrolls sideways.
 */
class SnapshotBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-snapshot-browser");

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Test
	void theSnapshotPhaseTakesACopyThePageListsAndAnAdminDownloads() {
		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/baseline-registration"));
		assertThat(driver.findElement(By.cssSelector("#phase-backup .dry-run-form button")).getText())
			.isEqualTo("Take snapshot");
		driver.findElement(By.cssSelector("#phase-backup .dry-run-form button")).click();
		waiting().until(ExpectedConditions.urlMatches(".*/runs/\\d+$"));
		new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.or(
				ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "Succeeded"),
				ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "Failed")));
		assertThat(driver.findElement(By.id("run-state")).getText()).as(driver.findElement(By.id("run-log")).getText())
			.contains("Succeeded");
		String runUrl = driver.getCurrentUrl();
		String run = runUrl.substring(runUrl.lastIndexOf('/') + 1);
		assertThat(driver.findElement(By.id("snapshot-table")).getText()).contains("textbooks")
			.contains("chapters")
			.contains("paragraphs")
			.contains("3,086")
			.contains("= live");
		assertThat(driver.findElement(By.id("run-log")).getText())
			.contains("Copied paragraphs of textbooks into textbooks.sqlite: 3,086 rows");
		windowWidth(1440);
		screenshot("snapshot-run-1440");

		// the register phase's snapshot-fresh gate passes now
		driver.get(url("/plans/baseline-registration"));
		assertThat(driver.findElement(By.id("gates")).getText()).containsPattern("fresh-backup.*\\d+ s old");

		// an operator sees the snapshot, but no download
		driver.findElement(By.id("snapshots-backup")).click();
		waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("snapshot-" + run)));
		String card = driver.findElement(By.id("snapshot-" + run)).getText();
		assertThat(card).contains("baseline-registration · backup").contains("Admins can download");
		assertThat(driver.findElements(By.cssSelector("#snapshot-" + run + " .snapshot-files a"))).isEmpty();

		// an admin downloads the file and sees how to read each table for a restore
		driver.manage().deleteAllCookies();
		signIn("admin", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/snapshots?plan=baseline-registration"));
		String link = "download-" + run + "-textbooks.sqlite";
		assertThat(driver.findElement(By.id(link)).getText()).isEqualTo("Download textbooks.sqlite");
		driver.findElement(By.cssSelector("#snapshot-" + run + " details.restore summary")).click();
		assertThat(driver.findElement(By.cssSelector("#snapshot-" + run + " .restore-url")).getText())
			.startsWith("jdbc:sqlite:")
			.endsWith("/snapshots/" + run + "/textbooks.sqlite");
		Object status = ((JavascriptExecutor) driver).executeAsyncScript("""
				var done = arguments[arguments.length - 1];
				fetch(document.getElementById(arguments[0]).href)
				  .then(r => r.arrayBuffer().then(b => done(r.status + ' ' + r.headers.get('content-type') + ' '
				    + new TextDecoder().decode(new Uint8Array(b, 0, 15)))))
				  .catch(e => done(String(e)));
				""", link);
		assertThat(status).isEqualTo("200 application/vnd.sqlite3 SQLite format 3");
		screenshot("snapshots-1440");
		windowWidth(800);
		assertNoHorizontalScroll("the snapshots page at 800 px");
		screenshot("snapshots-800");
		windowWidth(1280);
	}

}
