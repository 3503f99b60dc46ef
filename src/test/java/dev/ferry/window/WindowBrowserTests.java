package dev.ferry.window;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunService;
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
 * The dashboard of a plan whose window is closed: the window and the time to it above the
 * phases, the Apply button held back with the window's reason, and the schedule it offers
 * instead, taken and cancelled in the page. At 1,440 and 800 px nothing scrolls sideways.
 */
class WindowBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-window-browser");

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
		registry.add("ferry.windows.poll", () -> "1h");
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
	void aClosedWindowHoldsTheApplyBackAndOffersToScheduleIt() throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("quay").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE source_items (code INTEGER PRIMARY KEY, label VARCHAR(40))");
			s.execute("CREATE TABLE items (code INTEGER PRIMARY KEY, label VARCHAR(40))");
			s.execute("INSERT INTO source_items SELECT x, 'Item ' || x FROM SYSTEM_RANGE(1, 12)");
			H2Login.grant(s);
		}
		int hour = Instant.now().atZone(ZoneOffset.UTC).plusHours(5).getHour();
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("quay", url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, ("""
					plan: quay
					title: Quay items
					source: quay
					target: quay
					window:
					  zone: UTC
					  weekly:
					    - { days: [mon, tue, wed, thu, fri, sat, sun], from: "%02d:00", to: "%02d:30" }
					phases:
					  - id: import
					    kind: import
					    query: SELECT code, label FROM source_items
					    table: items
					    key: [code]
					    columns:
					      code:  { type: integer }
					      label: { required: true }
					""".formatted(hour, hour)).getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		Actors.approved(this.runs, this.approvals, "quay", "import");

		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/quay"));
		String opens = String.format(Locale.ROOT, "%02d:00 UTC", hour);
		assertThat(driver.findElement(By.id("apply-window")).getText())
			.startsWith("Apply window: every day " + String.format(Locale.ROOT, "%02d", hour) + ":00–")
			.contains("Closed: the next window opens at ")
			.contains(opens);
		assertThat(driver.findElement(By.cssSelector("#phase-import .apply-form button")).isEnabled()).isFalse();
		assertThat(driver.findElement(By.id("locks-import")).getText())
			.contains("Plan quay applies only in its window");
		windowWidth(1440);
		screenshot("window-closed-1440");

		driver.findElement(By.id("schedule-import")).click();
		waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("scheduled-import")));
		assertThat(driver.findElement(By.id("flash")).getText()).contains("The apply of import is scheduled for ");
		assertThat(driver.findElement(By.id("scheduled-import")).getText()).contains("Apply scheduled for ")
			.contains("by operator");
		assertThat(driver.findElements(By.id("schedule-import"))).as("scheduled once").isEmpty();
		windowWidth(800);
		assertNoHorizontalScroll("the dashboard with a window at 800 px");
		screenshot("window-scheduled-800");
		windowWidth(1280);

		driver.findElement(By.id("cancel-scheduled-import")).click();
		waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("schedule-import")));
		assertThat(driver.findElement(By.id("flash")).getText()).contains("is cancelled");
		assertThat(driver.findElements(By.id("scheduled-import"))).isEmpty();

		// the runbook names the window, and so does its first checklist item
		driver.findElement(By.id("runbook-link")).click();
		waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("runbook-window")));
		String every = String.format(Locale.ROOT, "every day %02d:00–%02d:30 (UTC)", hour, hour);
		assertThat(driver.findElement(By.id("runbook-window")).getText())
			.isEqualTo("Applies start only in the plan's window: " + every + ".");
		assertThat(driver.findElement(By.id("item-announce")).getText())
			.contains("Announce the maintenance window (applies start only in " + every + ")");
	}

}
