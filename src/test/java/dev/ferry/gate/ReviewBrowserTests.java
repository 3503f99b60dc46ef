package dev.ferry.gate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.spec.SqlPhase;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21's review, as an owner lives it: from the home page to the review page of a dry
 * run that needs their sign-off, a request for changes that locks the apply with its
 * reason, a new dry run approved on the same page, and the operator's apply.
 */
class ReviewBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-review-browser");

	static final String PLAN = """
			plan: signoff
			title: A table that needs the owner's sign-off
			source: app
			target: app
			approvals: { operators: 1, owner-signoff: true }
			phases:
			  - id: marks
			    kind: sql
			    apply: CREATE TABLE signoff_marks (id INTEGER PRIMARY KEY, what VARCHAR(40))
			    rollback: DROP TABLE signoff_marks
			gates: []
			""";

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Test
	void anOwnerRequestsChangesThenSignsOffTheNewDryRunAndTheOperatorApplies() {
		SystemActor.run(() -> this.plans.save(null, PLAN.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
		long first = dryRun();

		signIn("owner", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		String need = "signoff · marks: dry run #" + first + " waits for approval";
		assertThat(driver.findElement(By.id("needs")).getText()).contains(need);
		driver.findElement(By.linkText(need)).click();
		waiting().until(ExpectedConditions.urlToBe(url("/runs/" + first + "/review")));
		assertThat(driver.findElement(By.id("review-decision")).getText()).contains("and an owner's sign-off.");
		driver.findElement(By.id("changes-text")).sendKeys("Name the column 'reason', not 'what'.");
		driver.findElement(By.cssSelector("#request-changes-form button")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"),
				"You requested changes to dry run #" + first));
		assertThat(driver.findElement(By.id("apply-locks")).getText())
			.contains("owner requested changes to dry run #" + first + ": “Name the column 'reason', not 'what'.”");
		assertThat(driver.findElements(By.id("approve-form"))).as("no sign-off of what needs changes").isEmpty();
		screenshot("review-changes-requested");

		// the operator answers with a new dry run; the owner signs it off on its review
		// page
		long second = dryRun();
		driver.get(url("/"));
		driver.findElement(By.linkText("signoff · marks: dry run #" + second + " waits for approval")).click();
		waiting().until(ExpectedConditions.urlToBe(url("/runs/" + second + "/review")));
		driver.findElement(By.id("approve-comment")).sendKeys("Signed off.");
		driver.findElement(By.cssSelector("#approve-form button")).click();
		waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"),
				"You approved dry run #" + second + " of phase marks."));
		assertThat(driver.findElement(By.id("conversation")).getText()).contains("owner approved", "Signed off.");
		Actors.approve(this.approvals, "signoff", "marks", second);
		signOut();

		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/signoff"));
		var apply = driver.findElement(By.cssSelector("#phase-marks .apply-form button[type=submit]"));
		assertThat(apply.isEnabled()).isTrue();
		apply.click();
		confirmInPage();
		waiting().until(ExpectedConditions.urlMatches(".*/runs/\\d+$"));
		new org.openqa.selenium.support.ui.WebDriverWait(driver, java.time.Duration.ofSeconds(60))
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "Succeeded"));
		RunView applied = SystemActor.call(() -> this.runs.latest("signoff", "marks", RunMode.APPLY)).orElseThrow();
		assertThat(applied.state()).isEqualTo(RunState.SUCCEEDED);
		SystemActor.call(() -> this.runs.rollback(applied.id()));
	}

	/**
	 * Acceptance (d) of issue 21: the review page of the demo's {@code schema} dry run
	 * shows every statement of the phase in full, its rollback, and, on H2 (which commits
	 * schema changes at once, so the dry run only parses them), the parsed-only badge as
	 * a warning.
	 */
	@Test
	void theSqlReviewPageShowsEveryStatementInFullAndTheParsedOnlyBadge() {
		RunView run = Actors.as("operator", Role.OPERATOR,
				() -> this.runs.request("ahs-v2", "schema", RunMode.DRY_RUN));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(run.id())).state().active(), "run #" + run.id());
		SqlPhase schema = (SqlPhase) SystemActor.call(() -> this.plans.latest("ahs-v2"))
			.spec()
			.phase("schema")
			.orElseThrow();

		signIn("owner", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/runs/" + run.id() + "/review"));
		WebElement badge = driver.findElement(By.cssSelector("#sql-badge .badge"));
		assertThat(badge.getText()).containsIgnoringCase("parsed only");
		assertThat(badge.getAttribute("class")).contains("badge-warn").doesNotContain("badge-ok");
		String apply = squeeze(driver.findElement(By.id("sql-apply")).getText());
		String[] statements = schema.apply().split(";");
		assertThat(statements).hasSizeGreaterThan(1);
		for (String statement : statements) {
			if (!statement.isBlank()) {
				assertThat(apply).as("in full on the page").contains(squeeze(statement) + ";");
			}
		}
		assertThat(apply).doesNotContain("…");
		assertThat(squeeze(driver.findElement(By.id("sql-rollback")).getText()))
			.contains(squeeze(schema.rollback().split(";")[0]));
		screenshot("review-sql-parsed-only");
	}

	private static String squeeze(String sql) {
		return sql.strip().replaceAll("\\s+", " ");
	}

	/** A dry run of the phase requested by the operator, finished. */
	private long dryRun() {
		RunView run = Actors.as("operator", Role.OPERATOR,
				() -> this.runs.request("signoff", "marks", RunMode.DRY_RUN));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(run.id())).state().active(), "run #" + run.id());
		assertThat(SystemActor.call(() -> this.runs.get(run.id())).state()).isEqualTo(RunState.SUCCEEDED);
		return run.id();
	}

	private void signOut() {
		driver.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
		waiting().until(ExpectedConditions.urlContains("/login"));
	}

}
