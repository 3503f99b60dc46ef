package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ferry.gate.ApprovalService;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.MappingService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.BrowserTest;
import dev.ferry.support.FerryAppTest;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapping review at keyboard speed (issue 21): a reviewer in Chromium decides
 * {@value #DECISIONS} ambiguous demo items by pressing "1" (pick the first candidate,
 * save, and swap in the next item), and the page records, for each press, the time from
 * the key going down to the next item swapped in ({@code htmx:afterSettle}) and to the
 * next frame painted after it. The server's part is timed in this JVM by a filter around
 * each decision request (the decision, the claim of the next item and the rendering of
 * its part of the page). The store is an H2 file, Ferry's default, as in the other
 * benchmarks. Only correctness is asserted: every press decided one item, and the
 * coverage rose by exactly that many.
 */
@Tag("benchmark")
@Import(ReviewKeyboardBenchmark.ServerTimes.class)
class ReviewKeyboardBenchmark extends BrowserTest {

	static final int DECISIONS = 200;

	/**
	 * Presses before the timed ones: the first renders compile templates and warm the
	 * JIT.
	 */
	static final int WARM_UP = 10;

	static final Path DATA = FerryBench.BENCH.resolve("review");

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		FerryBench.delete(DATA);
		registry.add("ferry.data-dir", () -> DATA.resolve("data").toAbsolutePath().toString());
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + DATA.resolve("store/ferry").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH");
		// templates parsed once, as in production (the test profile re-reads them each
		// time)
		registry.add("spring.thymeleaf.cache", () -> "true");
	}

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	MappingService mappings;

	@Test
	void twoHundredDecisionsByKeyboard() throws IOException {
		Actors.succeeded(this.runs, this.approvals, "ahs-v2", "schema", RunMode.APPLY);
		Actors.succeeded(this.runs, this.approvals, "ahs-v2", "import", RunMode.DRY_RUN);
		Actors.succeeded(this.runs, this.approvals, "ahs-v2", "import", RunMode.APPLY);
		Actors.succeeded(this.runs, this.approvals, "ahs-v2", "map", RunMode.DRY_RUN);
		Coverage before = SystemActor.call(() -> this.mappings.coverage("ahs-v2", "map")).orElseThrow();

		signIn("reviewer", FerryAppTest.DEMO_PASSWORD);
		waiting().until(ExpectedConditions.urlToBe(url("/")));
		driver.get(url("/plans/ahs-v2/phases/map/queue?status=ambiguous"));
		driver.findElement(By.id("start-reviewing")).click();
		waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("review-item")));
		JavascriptExecutor js = (JavascriptExecutor) driver;
		js.executeScript("""
				window.benchSwapped = []; window.benchPainted = []; window.benchDown = 0;
				document.addEventListener('keydown', function () { window.benchDown = performance.now(); }, true);
				document.addEventListener('htmx:afterSettle', function (event) {
				  if (!event.detail.elt || event.detail.elt.id !== 'review-item') { return; }
				  var down = window.benchDown;
				  window.benchSwapped.push(performance.now() - down);
				  requestAnimationFrame(function () { window.benchPainted.push(performance.now() - down); });
				});
				""");
		ServerTimes.DECISIONS.clear();
		for (int i = 0; i < WARM_UP + DECISIONS; i++) {
			String current = driver.findElement(By.id("review-item")).getAttribute("data-key");
			int painted = ((Number) js.executeScript("return window.benchPainted.length;")).intValue();
			new Actions(driver).sendKeys("1").perform();
			waiting().withTimeout(Duration.ofSeconds(30))
				.ignoring(StaleElementReferenceException.class)
				.until(d -> ((Number) js.executeScript("return window.benchPainted.length;")).intValue() > painted
						&& !current.equals(d.findElement(By.id("review-item")).getAttribute("data-key")));
		}
		List<Double> swapped = timed(js.executeScript("return window.benchSwapped;"));
		List<Double> painted = timed(js.executeScript("return window.benchPainted;"));
		List<Double> server = new ArrayList<>(ServerTimes.DECISIONS);
		server = server.subList(WARM_UP, server.size());

		Coverage after = SystemActor.call(() -> this.mappings.coverage("ahs-v2", "map")).orElseThrow();
		assertThat(after.manual()).as("one decision per key press").isEqualTo(before.manual() + WARM_UP + DECISIONS);
		assertThat(swapped).hasSize(DECISIONS);
		assertThat(server).hasSize(DECISIONS);

		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("decisions", DECISIONS);
		figures.put("keyToSwappedMedianMs", BenchResults.round(BenchResults.median(swapped), 1));
		figures.put("keyToSwappedP90Ms", BenchResults.round(percentile(swapped, 0.9), 1));
		figures.put("keyToPaintedMedianMs", BenchResults.round(BenchResults.median(painted), 1));
		figures.put("keyToPaintedP90Ms", BenchResults.round(percentile(painted, 0.9), 1));
		figures.put("serverMedianMs", BenchResults.round(BenchResults.median(server), 1));
		figures.put("serverP90Ms", BenchResults.round(percentile(server, 0.9), 1));
		BenchResults.put("reviewKeyboard", figures);
		System.out.println(String.format(Locale.ROOT,
				"[bench] review by keyboard, %d decisions: key → next item swapped median %.1f ms (p90 %.1f), "
						+ "painted median %.1f ms (p90 %.1f); server per decision median %.1f ms (p90 %.1f)",
				DECISIONS, figures.get("keyToSwappedMedianMs"), figures.get("keyToSwappedP90Ms"),
				figures.get("keyToPaintedMedianMs"), figures.get("keyToPaintedP90Ms"), figures.get("serverMedianMs"),
				figures.get("serverP90Ms")));
	}

	/** The timed presses' figures: the warm-up ones dropped. */
	private static List<Double> timed(Object values) {
		List<Double> all = new ArrayList<>();
		for (Object value : (List<?>) values) {
			all.add(((Number) value).doubleValue());
		}
		return all.subList(WARM_UP, all.size());
	}

	private static double percentile(List<Double> values, double share) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(share * sorted.size()) - 1));
	}

	/** Times each decision request in the server, rendering included. */
	@TestConfiguration
	static class ServerTimes {

		static final List<Double> DECISIONS = Collections.synchronizedList(new ArrayList<>());

		@Bean
		FilterRegistrationBean<Filter> decisionTimer() {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
				HttpServletRequest http = (HttpServletRequest) request;
				boolean decision = "POST".equals(http.getMethod()) && http.getRequestURI().endsWith("/queue/item");
				long start = System.nanoTime();
				try {
					chain.doFilter(request, response);
				}
				finally {
					if (decision) {
						DECISIONS.add((System.nanoTime() - start) / 1e6);
					}
				}
			});
			registration.addUrlPatterns("/plans/*");
			return registration;
		}

	}

}
