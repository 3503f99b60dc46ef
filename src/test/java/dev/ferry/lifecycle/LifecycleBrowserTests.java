package dev.ferry.lifecycle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.gate.ApprovalService;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Queue;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Offered = allowed, in the browser: the demo plan walked to its map apply and rolled
 * back newest first, and at every step the dashboard shows exactly the buttons the API's
 * lifecycle allows (no Apply on an applied phase, at most one Rollback, no verdict on an
 * apply that was rolled back, row counts of now), and the home page lists only actions
 * the server would accept. The runs themselves are started through the services, as the
 * pipeline test drives them; the pages are what is checked.
 */
class LifecycleBrowserTests extends BrowserTest {

	static final Path DATA = Workspaces.temporaryFolder("ferry-lifecycle-browser");

	static final String PLAN = "ahs-v2";

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

	@Autowired
	MockMvc mvc;

	@Autowired
	JsonMapper json;

	@Test
	void theDashboardOffersWhatTheLifecycleAllowsAtEveryStep() throws Exception {
		signIn("operator", FerryAppTest.DEMO_PASSWORD);
		checkPages("fresh");
		run("preflight", dev.ferry.run.RunMode.DRY_RUN);
		RunView schema = apply("schema");
		checkPages("schema applied");
		RunView importing = apply("import");
		checkPages("import applied");
		run("map", dev.ferry.run.RunMode.DRY_RUN);
		decideEveryOpenItem();
		checkPages("map reviewed");
		RunView map = apply("map");
		Await.until(() -> phase("verify").path("state").asString().equals("verified"), "the verify after the map");
		checkPages("map applied and verified");
		screenshots("applied");
		assertThat(waiting().until(d -> d.findElement(By.id("verdict-verify"))).getText()).contains("#" + map.id());

		// newest first: map, import, schema, each through its Rollback button
		for (RunView apply : List.of(map, importing, schema)) {
			driver.get(url("/plans/" + PLAN));
			waiting().until(d -> d.findElement(By.id("pipeline")));
			List<WebElement> rollbacks = driver.findElements(By.cssSelector(".rollback-form button"));
			assertThat(rollbacks)
				.as("one Rollback, for apply #%d; the card says: %s", apply.id(),
						driver.findElement(By.id("phase-" + apply.phase())).getText())
				.hasSize(1);
			assertThat(
					driver.findElement(By.id("phase-" + apply.phase())).findElements(By.cssSelector(".rollback-form")))
				.hasSize(1);
			if (RunService.rollbackNamesPlan(apply)) {
				refusedWithoutThePlanId(apply);
				assertThat(driver
					.findElement(By.cssSelector("#phase-" + apply.phase() + " .rollback-form input[name=confirmPlan]"))
					.isDisplayed()).as("with the script, the dialog asks for the plan id, not the form").isFalse();
				// Escape leaves the dialog, and nothing is rolled back
				rollbacks.get(0).click();
				WebElement dialog = confirmation();
				assertThat(dialog.getText()).contains("Roll back apply #" + apply.id())
					.contains("type the plan id " + PLAN);
				screenshotsOfTheDialog(apply);
				driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
				waiting().until(d -> d.findElement(By.id("confirm-dialog")).getDomAttribute("open") == null);
				assertThat(driver.getCurrentUrl()).isEqualTo(url("/plans/" + PLAN));
				assertThat(SystemActor.call(() -> this.runs.latest(PLAN, apply.phase(), dev.ferry.run.RunMode.ROLLBACK))
					.filter(r -> r.id() > apply.id())).as("no rollback after Escape").isEmpty();
				rollbacks = driver.findElements(By.cssSelector(".rollback-form button"));
				rollbacks.get(0).click();
				confirmInPage(PLAN);
			}
			else {
				rollbacks.get(0).click();
				confirmInPage();
			}
			waiting().until(d -> d.getCurrentUrl().matches(".*/runs/\\d+$"));
			long rollback = Long.parseLong(driver.getCurrentUrl().replaceAll(".*/runs/", ""));
			RunView done = Await.finished(this.runs, SystemActor.call(() -> this.runs.get(rollback)));
			assertThat(done.state()).as(done.error()).isEqualTo(RunState.SUCCEEDED);
			checkPages("apply #" + apply.id() + " rolled back");
			driver.get(url("/plans/" + PLAN));
			if (apply == map) {
				assertThat(driver.findElements(By.id("verdict-verify"))).isEmpty();
				assertThat(driver.findElement(By.id("phase-verify")).getText()).contains("Not run")
					.contains("The verdict on apply #" + map.id() + " is void");
				// what the verify measured after apply #map was the table then, not now
				for (String gate : List.of("listings-intact", "no-orphans")) {
					WebElement chip = driver.findElement(By.id("gate-verify-" + gate));
					assertThat(chip.getAttribute("class")).as("gate %s after the rollback", gate)
						.contains("gate-not-measured");
					assertThat(chip.getAttribute("title")).contains("after apply #" + map.id())
						.contains("no longer stands");
				}
				JsonNode verify = api("/api/v1/plans/" + PLAN + "/phases/verify/gates");
				assertThat(verify.findValuesAsString("state")).as(verify.toString()).containsOnly("not-measured");
				screenshots("map-rolled-back");
			}
			if (apply == importing) {
				// the live part of the page is swapped while a run is active: read the
				// cell
				// once it is there
				String rowsNow = waiting().until(d -> {
					try {
						return d.findElement(By.cssSelector("#rows-target-AhsListingV2 td:nth-child(3)")).getText();
					}
					catch (org.openqa.selenium.NoSuchElementException
							| org.openqa.selenium.StaleElementReferenceException ex) {
						return null;
					}
				});
				assertThat(rowsNow).as("the target's rows now, counted after the rollback").isEqualTo("0");
			}
		}
		assertThat(phase("schema").path("state").asString()).isEqualTo("rolled-back");
		assertThat(driver.findElements(By.cssSelector(".rollback-form"))).isEmpty();
	}

	/**
	 * The dashboard against the API, card by card, and the home page's tasks against the
	 * same answers.
	 */
	private void checkPages(String step) throws Exception {
		driver.get(url("/plans/" + PLAN));
		waiting().until(d -> d.findElement(By.id("pipeline")));
		JsonNode plan = api("/api/v1/plans/" + PLAN);
		int rollbackButtons = 0;
		for (JsonNode phase : plan.path("phases")) {
			String id = phase.path("id").asString();
			WebElement card = driver.findElement(By.id("phase-" + id));
			JsonNode actions = phase.path("actions");
			String at = step + ", phase " + id;
			assertThat(card.getAttribute("class")).as(at).contains("phase-" + phase.path("state").asString());
			List<WebElement> apply = card.findElements(By.cssSelector(".apply-form button[type=submit]"));
			if (actions.path("apply").path("allowed").asBoolean()) {
				assertThat(apply).as(at + ": Apply").hasSize(1);
				assertThat(apply.get(0).isEnabled()).as(at + ": Apply enabled").isTrue();
			}
			else {
				assertThat(apply.stream().filter(WebElement::isEnabled)).as(at + ": no enabled Apply").isEmpty();
			}
			if (phase.path("state").asString().matches("applied|verifying|verified|verify-failed")) {
				assertThat(apply).as(at + ": no Apply on an applied phase").isEmpty();
			}
			List<WebElement> rollback = card.findElements(By.cssSelector(".rollback-form button"));
			assertThat(rollback).as(at + ": Rollback")
				.hasSize(actions.path("rollback").path("allowed").asBoolean() ? 1 : 0);
			rollbackButtons += rollback.size();
			// the plan id is asked for exactly when a rollback request must carry it
			assertThat(card.findElements(By.cssSelector(".rollback-form input[name=confirmPlan]")))
				.as(at + ": the plan id field of the Rollback")
				.hasSize((!rollback.isEmpty() && phase.path("rollbackNeedsConfirmPlan").asBoolean()) ? 1 : 0);
			if (!rollback.isEmpty()) {
				JsonNode written = api("/api/v1/runs/" + phase.path("standingApply").asLong()).path("counts");
				assertThat(phase.path("rollbackNeedsConfirmPlan").asBoolean()).as(at + ": " + written)
					.isEqualTo(written.path("inserted").asLong() + written.path("updated").asLong()
							+ written.path("deleted").asLong() > 10_000);
			}
			List<WebElement> dryRun = card.findElements(By.cssSelector(".dry-run-form button"));
			if (!dryRun.isEmpty()) {
				assertThat(dryRun.get(0).isEnabled()).as(at + ": Dry run")
					.isEqualTo(actions.path("dryRun").path("allowed").asBoolean());
			}
			if (!actions.path("dryRun").path("allowed").asBoolean() && !dryRun.isEmpty()) {
				assertThat(card.getText()).as(at + ": why no dry run")
					.contains(actions.path("dryRun").path("reasons").get(0).asString());
			}
			if (!phase.path("state").asString().startsWith("verif") && id.equals("verify")) {
				assertThat(card.findElements(By.cssSelector(".verdict-passed"))).as(at + ": no stale verdict")
					.isEmpty();
			}
		}
		assertThat(rollbackButtons).as(step + ": at most one Rollback").isLessThanOrEqualTo(1);
		// the home page: each task is one the server would accept now
		driver.get(url("/"));
		for (WebElement need : driver.findElements(By.cssSelector("#needs li.need"))) {
			String kind = need.getAttribute("class").replaceAll(".*need-", "");
			String text = need.findElement(By.tagName("a")).getText();
			if (kind.equals("rollback") || kind.equals("approve")) {
				String phaseId = text.replaceAll("^ahs-v2 · ([a-z-]+):.*$", "$1");
				JsonNode phase = phaseOf(plan, phaseId);
				assertThat(phase.path("actions").path(kind).path("allowed").asBoolean())
					.as(step + ": home task " + text)
					.isTrue();
			}
			assertThat(kind).as(step + ": home task " + text).isNotEqualTo("failed");
		}
	}

	private static JsonNode phaseOf(JsonNode plan, String id) {
		for (JsonNode phase : plan.path("phases")) {
			if (phase.path("id").asString().equals(id)) {
				return phase;
			}
		}
		throw new AssertionError("no phase " + id + " in " + plan);
	}

	private JsonNode phase(String id) {
		try {
			return phaseOf(api("/api/v1/plans/" + PLAN), id);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode api(String path) throws Exception {
		String text = this.mvc.perform(get(path).with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		return this.json.readTree(text);
	}

	private RunView run(String phase, dev.ferry.run.RunMode mode) {
		RunView done = Await.finished(this.runs, SystemActor.call(() -> this.runs.request(PLAN, phase, mode)));
		assertThat(done.state()).as(done.error()).isEqualTo(RunState.SUCCEEDED);
		return done;
	}

	private RunView apply(String phase) {
		RunView done = Await.finished(this.runs, Actors.requestApply(this.runs, this.approvals, PLAN, phase));
		assertThat(done.state()).as(done.error()).isEqualTo(RunState.SUCCEEDED);
		return done;
	}

	/**
	 * A reviewer's work: ambiguous items to their best candidate, unresolved excluded.
	 */
	private void decideEveryOpenItem() {
		for (Queue queue : List.of(Queue.AMBIGUOUS, Queue.UNRESOLVED)) {
			while (true) {
				List<MappingItem> page = new ArrayList<>(
						SystemActor.call(() -> this.mappings.items(PLAN, "map", queue, null, null, 200)).items());
				if (page.isEmpty()) {
					break;
				}
				for (MappingItem item : page) {
					DecisionCommand decision = (queue == Queue.AMBIGUOUS)
							? new DecisionCommand(MatchStatus.MANUAL, item.candidates().get(0).newKey(), null,
									item.version())
							: new DecisionCommand(MatchStatus.EXCLUDED, null, "not in the new dataset", item.version());
					Actors.as("reviewer", Role.REVIEWER,
							() -> this.mappings.decide(PLAN, "map", item.oldKey(), decision));
				}
			}
		}
	}

	/**
	 * Without the page's script the rollback form has the plan id field itself; a request
	 * without the id (or with another) is refused and says why, and the apply stands.
	 */
	private void refusedWithoutThePlanId(RunView apply) {
		// the page as the server sends it, before any script runs
		List<?> page = fetch("GET", "/plans/" + PLAN, null);
		String html = (String) page.get(1);
		String form = html.substring(html.indexOf("class=\"rollback-form\""));
		form = form.substring(0, form.indexOf("</form>"));
		assertThat(form).contains("name=\"confirmPlan\"").contains("required").contains("type the plan id " + PLAN);
		for (String typed : new String[] { null, "ahs-v1" }) {
			List<?> answer = fetch("POST", "/runs/" + apply.id() + "/rollback", typed);
			assertThat((String) answer.get(0)).as("back on the apply's page").endsWith("/runs/" + apply.id());
			assertThat((String) answer.get(1)).as("the reason, in the flash")
				.contains("Apply #" + apply.id() + " wrote ")
				.contains("to roll it back, type its plan&#39;s id, " + PLAN + ".");
		}
		assertThat(phase(apply.phase()).path("standingApply").asLong()).as("the apply stands").isEqualTo(apply.id());
	}

	/**
	 * A request from the signed-in browser without the page's script: a GET, or the
	 * rollback form's POST with the plan id typed (or none); the address it ended at and
	 * the page.
	 */
	private List<?> fetch(String method, String path, String confirmPlan) {
		driver.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(30));
		return (List<?>) ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript("""
				var done = arguments[arguments.length - 1];
				var init = { method: arguments[0] };
				if (arguments[0] === 'POST') {
				  var body = new URLSearchParams();
				  body.append('_csrf', document.querySelector('meta[name="_csrf"]').content);
				  if (arguments[2] !== null) { body.append('confirmPlan', arguments[2]); }
				  init.body = body;
				}
				fetch(arguments[1], init).then(function (r) {
				  return r.text().then(function (t) { done([r.url, t]); });
				}).catch(function (e) { done(['', String(e)]); });""", method, path, confirmPlan);
	}

	/** The confirmation that asks for the plan id, at 1440, 800 and 390 px. */
	private void screenshotsOfTheDialog(RunView apply) {
		for (int width : new int[] { 1440, 800, 390 }) {
			windowWidth(width);
			screenshot("lifecycle-confirm-rollback-" + apply.phase() + "-" + width);
		}
		windowWidth(1280);
	}

	/** What a person sees, at a wide and a narrow window, for the record. */
	private void screenshots(String name) {
		for (int width : new int[] { 1440, 800 }) {
			driver.manage().window().setSize(new Dimension(width, 1200));
			driver.get(url("/plans/" + PLAN));
			// every card drawn before the picture is taken
			waiting().until(d -> d.findElements(By.cssSelector("#pipeline [id^=phase-]")).size() == 5);
			screenshot("lifecycle-" + name + "-" + width);
		}
		driver.manage().window().setSize(new Dimension(1280, 900));
		driver.get(url("/plans/" + PLAN));
		waiting().until(d -> d.findElement(By.id("pipeline")));
	}

}
