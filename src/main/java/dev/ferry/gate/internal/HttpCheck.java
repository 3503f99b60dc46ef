package dev.ferry.gate.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

import dev.ferry.gate.internal.GateChecks.Measured;
import dev.ferry.plan.HttpCheckHosts;
import dev.ferry.plan.spec.HttpGate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Measures an http gate: a GET of an allowed host's JSON endpoint, its value at a JSON
 * pointer against the gate's bounds; an endpoint that refuses is a failure in words.
 */
@Component
class HttpCheck {

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

	private final JsonMapper json;

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(HTTP_TIMEOUT)
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	/**
	 * The hosts http gates may call now (checked when a plan is saved, and again here).
	 */
	private final java.util.Set<String> allowedHosts;

	HttpCheck(JsonMapper json, Environment environment) {
		this.allowedHosts = HttpCheckHosts.allowed(environment);
		this.json = json;
	}

	/**
	 * GETs the gate's URL and measures the JSON value at its pointer against its bounds.
	 */
	Measured measure(HttpGate gate, String threshold) {
		if (!this.allowedHosts.contains(gate.url().getHost().toLowerCase(Locale.ROOT))) {
			return new Measured(null, threshold, false, "Host " + gate.url().getHost()
					+ " is no longer allowed for http gates (ferry.http-checks.allowed-hosts): it was not called.",
					null);
		}
		HttpResponse<String> response;
		try {
			response = this.http.send(HttpRequest.newBuilder(gate.url())
				.timeout(HTTP_TIMEOUT)
				.header("Accept", "application/json")
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			return new Measured(null, threshold, false, "GET " + gate.url() + " failed: " + failure(ex, gate.url()),
					null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Measured(null, threshold, false, "GET " + gate.url() + " was interrupted.", null);
		}
		if (response.statusCode() / 100 != 2) {
			return new Measured(null, threshold, false,
					"GET " + gate.url() + " answered HTTP " + response.statusCode() + ".", null);
		}
		JsonNode node;
		try {
			node = this.json.readTree(response.body()).at(gate.pointer());
		}
		catch (RuntimeException ex) {
			return new Measured(null, threshold, false, "GET " + gate.url() + " did not answer JSON.", null);
		}
		if (node.isMissingNode() || node.isNull()) {
			return new Measured(null, threshold, false,
					"The answer of " + gate.url() + " has no value at " + gate.pointer() + ".", null);
		}
		return GateThresholds.bounded(node.isValueNode() ? node.asString() : node.toString(), gate.bounds(), threshold);
	}

	/**
	 * Why a request failed, in words: the HTTP client's exceptions often have no message
	 * (a refused connection, a timeout), so the causes are asked too, then the kind.
	 */
	static String failure(java.io.IOException ex, URI url) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
				return cause.getMessage();
			}
		}
		if (ex instanceof java.net.ConnectException) {
			return "nothing answered at " + url.getHost() + ":"
					+ ((url.getPort() >= 0) ? url.getPort() : ("https".equalsIgnoreCase(url.getScheme()) ? 443 : 80))
					+ " (connection refused).";
		}
		return ex.getClass().getSimpleName() + ".";
	}

}
