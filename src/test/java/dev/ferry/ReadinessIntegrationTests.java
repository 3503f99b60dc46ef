package dev.ferry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probes as a load balancer or Kubernetes sees them while Ferry starts in demo mode:
 * the web server answers before the start-up work (the demo workspace, the plan files,
 * secret rotation) has run, and readiness says so until that work has finished.
 * <p>
 * The start-up is held by a runner of its own, ordered after the accounts are made (order
 * 0) and before the demo workspace (order 10), so the test looks at Ferry exactly between
 * the two, then lets it go on.
 */
@Tag("integration")
class ReadinessIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path dir;

	@Test
	void readinessIsDownUntilTheDemoPlansAreLoadedThenUpWithTheFivePlans() throws Exception {
		CompletableFuture<Integer> port = new CompletableFuture<>();
		CompletableFuture<ConfigurableApplicationContext> started = new CompletableFuture<>();
		Thread starter = new Thread(() -> {
			try {
				started
					.complete(new SpringApplicationBuilder(FerryApplication.class, StartupHold.class).profiles("test")
						.listeners((WebServerInitializedEvent event) -> port.complete(event.getWebServer().getPort()))
						.run("--server.port=0", "--ferry.data-dir=" + this.dir.toAbsolutePath()));
			}
			catch (Throwable ex) {
				started.completeExceptionally(ex);
				port.completeExceptionally(ex);
			}
		}, "ferry-starting");
		starter.start();
		try {
			assertThat(StartupHold.entered.await(120, TimeUnit.SECONDS)).as("the start-up reached the held runner")
				.isTrue();
			String base = "http://localhost:" + port.get(10, TimeUnit.SECONDS);

			HttpResponse<String> readiness = get(base + "/actuator/health/readiness", false);
			assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
			assertThat(status(readiness)).isEqualTo("OUT_OF_SERVICE");
			HttpResponse<String> health = get(base + "/actuator/health", false);
			assertThat(health.statusCode()).as("the main health reflects readiness: " + health.body()).isEqualTo(503);
			assertThat(status(health)).isEqualTo("OUT_OF_SERVICE");
			HttpResponse<String> liveness = get(base + "/actuator/health/liveness", false);
			assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
			assertThat(status(liveness)).isEqualTo("UP");
			HttpResponse<String> plans = get(base + "/api/v1/plans", true);
			assertThat(plans.statusCode()).as(plans.body()).isEqualTo(200);
			assertThat(json.readTree(plans.body())).as("what a client that did not wait for readiness sees").isEmpty();

			StartupHold.release.countDown();

			// the first answer that is not 503 is the one a probe acts on: it must come
			// with every demo plan already there
			AtomicReference<HttpResponse<String>> ready = new AtomicReference<>();
			Await.until(() -> {
				HttpResponse<String> answer = get(base + "/actuator/health/readiness", false);
				if (answer.statusCode() == 503) {
					return false;
				}
				ready.set(answer);
				return true;
			}, "readiness after the start-up went on");
			assertThat(ready.get().statusCode()).as(ready.get().body()).isEqualTo(200);
			assertThat(status(ready.get())).isEqualTo("UP");
			JsonNode listed = json.readTree(get(base + "/api/v1/plans", true).body());
			assertThat(listed.valueStream().map(plan -> plan.get("plan").asString()))
				.as("the plans listed once readiness is UP")
				.containsExactlyInAnyOrder("ahs-v2", "baseline-registration", "legacy-identities", "schema-alignment",
						"task-model-v2");
			assertThat(status(get(base + "/actuator/health", false))).isEqualTo("UP");
		}
		finally {
			StartupHold.release.countDown();
			started.get(120, TimeUnit.SECONDS).close();
		}
	}

	private HttpResponse<String> get(String url, boolean signedIn) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
		if (signedIn) {
			request.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString(("admin:" + FerryAppTest.DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8)));
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(url, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(url, ex);
		}
	}

	private static String status(HttpResponse<String> response) {
		return json.readTree(response.body()).get("status").asString();
	}

	/**
	 * A start-up runner between the accounts (order 0) and the demo workspace (order 10)
	 * that waits for the test.
	 */
	@Order(5)
	static class StartupHold implements ApplicationRunner {

		static final CountDownLatch entered = new CountDownLatch(1);

		static final CountDownLatch release = new CountDownLatch(1);

		@Override
		public void run(ApplicationArguments args) throws InterruptedException {
			entered.countDown();
			if (!release.await(120, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the test never let the start-up go on");
			}
		}

	}

}
