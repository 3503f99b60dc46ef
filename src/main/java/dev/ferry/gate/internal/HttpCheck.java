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

	/** The most an answer may hold: 1 MiB. */
	static final int MAX_BODY = 1024 * 1024;

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
		if (!HttpCheckHosts.allows(this.allowedHosts, gate.url())) {
			return new Measured(null, threshold, false, "Host " + gate.url().getHost()
					+ " is no longer allowed for http gates (ferry.http-checks.allowed-hosts): it was not called.",
					null);
		}
		HttpResponse<String> response;
		java.util.concurrent.CompletableFuture<HttpResponse<String>> exchange = this.http
			.sendAsync(HttpRequest.newBuilder(gate.url())
				.timeout(HTTP_TIMEOUT)
				.header("Accept", "application/json")
				.GET()
				.build(), info -> new LimitedBody(MAX_BODY));
		try {
			// the whole exchange, body included: a server that trickles its answer is cut
			// off
			response = exchange.get(HTTP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			exchange.cancel(true);
			return new Measured(null, threshold, false, "GET " + gate.url() + " took longer than "
					+ HTTP_TIMEOUT.toSeconds() + " s (headers and body); it was cut off.", null);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof LimitedBody.TooLarge) {
				return new Measured(null, threshold, false,
						"GET " + gate.url() + " answered more than " + (MAX_BODY / 1024) + " KiB; it was cut off.",
						null);
			}
			java.io.IOException io = (cause instanceof java.io.IOException found) ? found
					: new java.io.IOException(cause.getMessage(), cause);
			return new Measured(null, threshold, false, "GET " + gate.url() + " failed: " + failure(io, gate.url()),
					null);
		}
		catch (InterruptedException ex) {
			exchange.cancel(true);
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
	 * An answer's body as text, refused (and the exchange cancelled) once it passes
	 * {@code limit} bytes.
	 */
	static final class LimitedBody implements HttpResponse.BodySubscriber<String> {

		private final int limit;

		private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

		private final java.util.concurrent.CompletableFuture<String> body = new java.util.concurrent.CompletableFuture<>();

		private java.util.concurrent.Flow.Subscription subscription;

		LimitedBody(int limit) {
			this.limit = limit;
		}

		@Override
		public java.util.concurrent.CompletionStage<String> getBody() {
			return this.body;
		}

		@Override
		public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(java.util.List<java.nio.ByteBuffer> items) {
			if (this.body.isDone()) {
				return;
			}
			for (java.nio.ByteBuffer item : items) {
				if (this.bytes.size() + item.remaining() > this.limit) {
					this.subscription.cancel();
					this.body.completeExceptionally(new TooLarge());
					return;
				}
				byte[] chunk = new byte[item.remaining()];
				item.get(chunk);
				this.bytes.write(chunk, 0, chunk.length);
			}
		}

		@Override
		public void onError(Throwable error) {
			this.body.completeExceptionally(error);
		}

		@Override
		public void onComplete() {
			this.body.complete(this.bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
		}

		/** An answer larger than the limit. */
		static final class TooLarge extends java.io.IOException {

			TooLarge() {
				super("the answer is larger than the limit");
			}

		}

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
