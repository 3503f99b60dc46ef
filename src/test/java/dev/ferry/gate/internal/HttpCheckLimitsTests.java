package dev.ferry.gate.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.plan.HttpCheckHosts;
import dev.ferry.plan.spec.Bounds;
import dev.ferry.plan.spec.GateSpec;
import dev.ferry.plan.spec.HttpGate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An http gate's call is bounded (issue 20, finding 8): an answer larger than 1 MiB is
 * cut off, so is one whose body trickles past the time limit, and in demo mode only the
 * configured port of localhost may be called.
 */
@Tag("integration")
class HttpCheckLimitsTests {

	private HttpServer server;

	private final CountDownLatch release = new CountDownLatch(1);

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		this.server.createContext("/large", exchange -> {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write("{\"pad\": \"".getBytes(StandardCharsets.UTF_8));
				byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
				for (int i = 0; i < 40; i++) {
					out.write(chunk);
				}
				out.write("\", \"n\": 1}".getBytes(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				// Ferry hung up once it had read enough: what this test expects
			}
		});
		this.server.createContext("/slow", exchange -> {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, 0);
			OutputStream out = exchange.getResponseBody();
			out.write("{\"n\": ".getBytes(StandardCharsets.UTF_8));
			out.flush();
			try {
				// the rest of the body never comes while Ferry waits
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		this.server.createContext("/ok", exchange -> {
			byte[] body = "{\"n\": 3}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		this.server.stop(0);
	}

	@Test
	void anAnswerLargerThanOneMebibyteIsCutOff() {
		GateChecks.Measured measured = check(Map.of("ferry.http-checks.allowed-hosts", "localhost"))
			.measure(gate("/large"), "equals 1");
		assertThat(measured.passed()).isFalse();
		assertThat(measured.detail()).contains("answered more than 1024 KiB; it was cut off");
	}

	@Test
	void aBodyThatTricklesPastTheLimitIsCutOff() {
		GateChecks.Measured measured = check(Map.of("ferry.http-checks.allowed-hosts", "localhost"))
			.measure(gate("/slow"), "equals 1");
		assertThat(measured.passed()).isFalse();
		assertThat(measured.detail()).contains("took longer than 10 s (headers and body); it was cut off");
	}

	@Test
	void demoModeCallsOnlyTheConfiguredPortOfLocalhost() {
		HttpCheck demo = check(Map.of("ferry.demo.enabled", "true", "ferry.demo.http-hosts", "localhost:6333"));
		GateChecks.Measured measured = demo.measure(gate("/ok"), "equals 3");
		assertThat(measured.passed()).isFalse();
		assertThat(measured.detail()).contains("is no longer allowed for http gates");
		Set<String> allowed = Set.of("localhost:6333", "status.example.com");
		assertThat(HttpCheckHosts.allows(allowed, URI.create("http://localhost:6333/x"))).isTrue();
		assertThat(HttpCheckHosts.allows(allowed, URI.create("http://localhost:8080/x"))).isFalse();
		assertThat(HttpCheckHosts.allows(allowed, URI.create("https://status.example.com:8443/x"))).isTrue();
		// the same server, allowed by host: answered
		assertThat(
				check(Map.of("ferry.http-checks.allowed-hosts", "localhost")).measure(gate("/ok"), "equals 3").passed())
			.isTrue();
	}

	private HttpGate gate(String path) {
		return new HttpGate("probe", GateSpec.Level.ERROR,
				URI.create("http://localhost:" + this.server.getAddress().getPort() + path), "/n",
				new Bounds(null, null, path.equals("/ok") ? "3" : "1"));
	}

	private static HttpCheck check(Map<String, Object> settings) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
		return new HttpCheck(JsonMapper.builder().build(), environment);
	}

}
