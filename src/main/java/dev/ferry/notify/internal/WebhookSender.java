package dev.ferry.notify.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * Posts one delivery: JSON, with the headers a receiver checks it by. The signature is
 * {@code X-Ferry-Signature: sha256=<hex>}, the HMAC-SHA256 with the webhook's secret of
 * {@code <X-Ferry-Timestamp>.<body>}, so a receiver can refuse a replayed or altered
 * delivery. Redirects are not followed (they could lead off the allow-list); any 2xx is
 * delivered.
 */
@Component
class WebhookSender {

	static final String SIGNATURE = "X-Ferry-Signature";

	static final String TIMESTAMP = "X-Ferry-Timestamp";

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	/**
	 * What an attempt came to.
	 *
	 * @param status the HTTP status, or null when nothing answered
	 * @param error why it failed, or null when it was delivered
	 */
	record Attempt(Integer status, String error) {

		boolean delivered() {
			return this.error == null;
		}

	}

	Attempt send(URI url, String body, String event, long deliveryId, String secret, long timestamp) {
		HttpRequest.Builder request = HttpRequest.newBuilder(url)
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("User-Agent", "Ferry-Webhooks")
			.header("X-Ferry-Event", event)
			.header("X-Ferry-Delivery", Long.toString(deliveryId))
			.header(TIMESTAMP, Long.toString(timestamp))
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		if (secret != null) {
			request.header(SIGNATURE, "sha256=" + sign(secret, timestamp, body));
		}
		try {
			HttpResponse<Void> response = this.http.send(request.build(), HttpResponse.BodyHandlers.discarding());
			int status = response.statusCode();
			return (status >= 200 && status < 300) ? new Attempt(status, null)
					: new Attempt(status, "The receiver answered " + status + ".");
		}
		catch (HttpTimeoutException ex) {
			return new Attempt(null, "No answer from " + url.getHost() + " within 10 s.");
		}
		catch (ConnectException ex) {
			return new Attempt(null, "Nothing answered at " + url.getHost()
					+ ((url.getPort() >= 0) ? ":" + url.getPort() : "") + " (connection refused).");
		}
		catch (IOException ex) {
			return new Attempt(null, "Posting to " + url.getHost() + " failed: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Attempt(null, "Interrupted while posting.");
		}
	}

	/** The hex HMAC-SHA256 of {@code <timestamp>.<body>} with the secret. */
	static String sign(String secret, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
