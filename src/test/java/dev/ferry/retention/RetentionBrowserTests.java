package dev.ferry.retention;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admin opens the storage page from the admin tabs: the superseded dry run's change
 * set is listed with what it frees and why, the newest is kept and says why; the purge is
 * confirmed in the page, and then the page lists it as purged, and the dry run's diff
 * says when and by whom its rows were purged. At 1440 and 800 px nothing scrolls
 * sideways. A workspace of its own: a purge frees every listed item.
 */
class RetentionBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-retention-browser");

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@TempDir
	static Path files;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Test
	void adminPurgesASupersededChangeSetConfirmedInThePage() throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("shelf").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE source_items (code INTEGER PRIMARY KEY, label VARCHAR(40))");
			s.execute("CREATE TABLE items (code INTEGER PRIMARY KEY, label VARCHAR(40))");
			s.execute("INSERT INTO source_items SELECT x, 'Item ' || x FROM SYSTEM_RANGE(1, 40)");
			s.execute("INSERT INTO items SELECT x, 'Old ' || x FROM SYSTEM_RANGE(1, 30)");
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("shelf", url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, """
					plan: shelf
					source: shelf
					target: shelf
					phases:
					  - id: import
					    kind: import
					    query: SELECT code, label FROM source_items
					    table: items
					    key: [code]
					    columns:
					      code:  { type: integer }
					      label: { required: true }
					gates: []
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		RunView first = Actors.succeeded(this.runs, this.approvals, "shelf", "import", RunMode.DRY_RUN);
		RunView latest = Actors.succeeded(this.runs, this.approvals, "shelf", "import", RunMode.DRY_RUN);

		signIn("admin", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/admin/users"));
		driver.findElement(By.id("admin-tab-retention")).click();
		waiting().until(ExpectedConditions.urlToBe(url("/admin/retention")));

		String superseded = "storage-change-set-" + first.id();
		assertThat(driver.findElement(By.cssSelector("#purgeable-table #" + superseded)).getText()).contains(
				"Change set rows", "#" + first.id(), "shelf · import", "Ferry's store", "40",
				"Superseded: run #" + latest.id() + " has a newer change set of phase import.");
		assertThat(driver.findElement(By.cssSelector("#kept-table #storage-change-set-" + latest.id())).getText())
			.contains("Dry run #" + latest.id()
					+ " is the one the review, approvals and next apply of phase import use.");
		assertThat(driver.findElement(By.id("purgeable-totals")).getText())
			.startsWith("A purge frees 1 item(s): 40 change row(s), 0 mapping item(s) and 0 before-image(s)");
		assertThat(driver.findElement(By.id("setting-max-age")).getText()).startsWith("Not set");
		windowWidth(1440);
		screenshot("retention-1440");
		windowWidth(800);
		assertNoHorizontalScroll("the storage page at 800 px");
		screenshot("retention-800");
		windowWidth(1280);

		driver.findElement(By.cssSelector("#purge-form button[type=submit]")).click();
		assertThat(confirmation().getText()).contains("Purge 1 item(s): 40 change row(s)");
		confirmInPage();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash-success"),
				"Purged 1 item(s): freed 40 change row(s)"));
		assertThat(driver.findElement(By.id("purgeable-none")).getText()).isEqualTo("Nothing can be purged now.");
		assertThat(driver.findElement(By.id("history-table")).getText()).contains("#" + first.id(), "admin",
				"Change set rows", "Superseded");
		screenshot("retention-purged");

		driver.get(url("/runs/" + first.id() + "/changes"));
		assertThat(driver.findElement(By.id("changes-purged")).getText())
			.contains("The rows of run #" + first.id() + "'s change set were purged on ")
			.contains("UTC by admin");
		assertThat(driver.findElements(By.id("changes-list"))).isEmpty();
		assertThat(driver.findElement(By.id("change-summary")).getText()).contains("40");
		screenshot("retention-purged-diff");
	}

}
