package dev.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ferry's public API through the JDK's HTTP client, with a bearer token. An answer that
 * is not a success becomes a {@link CliException} with the exit code its status means and
 * the reasons Ferry gave.
 */
final class Api {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

	private final URI base;

	private final String token;

	private final HttpClient http;

	Api(String url, String token) {
		if (url == null || url.isBlank()) {
			throw new CliException(Exit.USAGE,
					"Where is Ferry? Set FERRY_URL or pass --url, e.g. --url https://ferry.example.com.");
		}
		if (token == null || token.isBlank()) {
			throw new CliException(Exit.NOT_ALLOWED,
					"No API token: set FERRY_TOKEN or pass --token (make one on your profile page in Ferry).");
		}
		String trimmed = url.strip();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		try {
			this.base = URI.create(trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new CliException(Exit.USAGE, "The URL " + url + " is not one: " + ex.getMessage());
		}
		if (this.base.getScheme() == null
				|| !(this.base.getScheme().equals("http") || this.base.getScheme().equals("https"))
				|| this.base.getHost() == null) {
			throw new CliException(Exit.USAGE, "The URL " + url + " is not an http(s) address of Ferry.");
		}
		this.token = token.strip();
		this.http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	String base() {
		return this.base.toString();
	}

	/** A path segment, encoded. */
	static String segment(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/** A query parameter value, encoded. */
	static String query(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	JsonNode get(String path) {
		return json(send("GET", path, null, null));
	}

	JsonNode post(String path, Object body) {
		return json(send("POST", path, "application/json", body == null ? null : JSON.writeValueAsBytes(body)));
	}

	/**
	 * Sends and returns the answer whatever its status, for commands that read a refusal.
	 */
	Answer exchange(String method, String path, String contentType, byte[] body) {
		HttpResponse<byte[]> response = call(method, path, contentType, body, HttpResponse.BodyHandlers.ofByteArray());
		return new Answer(response.statusCode(), response.body());
	}

	/** Sends and fails unless the answer is a success. */
	Answer send(String method, String path, String contentType, byte[] body) {
		Answer answer = exchange(method, path, contentType, body);
		if (answer.status() >= 300) {
			throw failure(method, path, answer);
		}
		return answer;
	}

	/** A success's body as a stream (a CSV), for copying without holding it. */
	InputStream stream(String path) {
		HttpResponse<InputStream> response = call("GET", path, null, null, HttpResponse.BodyHandlers.ofInputStream());
		if (response.statusCode() >= 300) {
			byte[] body;
			try (InputStream in = response.body()) {
				body = in.readAllBytes();
			}
			catch (IOException ex) {
				body = new byte[0];
			}
			throw failure("GET", path, new Answer(response.statusCode(), body));
		}
		return response.body();
	}

	private <T> HttpResponse<T> call(String method, String path, String contentType, byte[] body,
			HttpResponse.BodyHandler<T> handler) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(REQUEST_TIMEOUT)
			.header("Authorization", "Bearer " + this.token)
			.header("Accept", "application/json, text/csv;q=0.9, */*;q=0.8")
			.header("User-Agent", "ferry-cli/" + Ferry.version());
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		request.method(method,
				body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
		try {
			return this.http.send(request.build(), handler);
		}
		catch (HttpConnectTimeoutException ex) {
			throw new CliException(Exit.UNAVAILABLE,
					"Ferry could not be reached at " + this.base + ": no answer to connecting within 10 s.");
		}
		catch (ConnectException ex) {
			throw new CliException(Exit.UNAVAILABLE, "Ferry could not be reached at " + this.base + ": "
					+ (ex.getMessage() == null ? "connection refused" : ex.getMessage()) + ".");
		}
		catch (HttpTimeoutException ex) {
			throw new CliException(Exit.UNAVAILABLE,
					"Ferry did not answer " + method + " " + path + " within " + REQUEST_TIMEOUT.toMinutes() + " min.");
		}
		catch (IOException ex) {
			throw new CliException(Exit.UNAVAILABLE, "Ferry could not be reached at " + this.base + ": "
					+ (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException(Exit.UNAVAILABLE, "Interrupted.");
		}
	}

	static JsonNode json(Answer answer) {
		if (answer.body().length == 0) {
			return JSON.createObjectNode();
		}
		try {
			return JSON.readTree(answer.body());
		}
		catch (JacksonException ex) {
			throw new CliException(Exit.UNAVAILABLE, "Ferry's answer is not JSON: " + answer.text());
		}
	}

	/** What an answer that is not a success means, as an exit code with Ferry's words. */
	static CliException failure(String method, String path, Answer answer) {
		int status = answer.status();
		String error = null;
		List<String> reasons = new ArrayList<>();
		try {
			JsonNode body = JSON.readTree(answer.body());
			if (body != null && body.isObject()) {
				error = text(body.get("error"));
				JsonNode list = body.get("reasons");
				if (list != null && list.isArray()) {
					String said = Objects.toString(text(body.get("error")), "");
					// a reason the error already says is not said twice
					list.valueStream()
						.map(Api::text)
						.filter(reason -> reason != null && !said.contains(reason))
						.forEach(reasons::add);
				}
				JsonNode errors = body.get("errors");
				if (errors != null && errors.isArray()) {
					errors.valueStream()
						.forEach(problem -> reasons.add(problem.path("line").asInt() + ":"
								+ problem.path("column").asInt() + ": " + problem.path("message").asString()));
				}
			}
		}
		catch (JacksonException ex) {
			// not JSON: the status says enough
		}
		if (error == null || error.isBlank()) {
			error = switch (status) {
				case 401 -> "Ferry does not accept the token.";
				case 403 -> "Not allowed: the token's user lacks the role " + method + " " + path + " needs.";
				case 404 -> "Not found: " + path + ".";
				default -> "Ferry answered " + status + " to " + method + " " + path + ".";
			};
		}
		int exit;
		if (status == 401 || status == 403 || status == 429) {
			exit = Exit.NOT_ALLOWED;
		}
		else if (status == 409) {
			exit = Exit.REFUSED;
		}
		else if (status >= 400 && status < 500) {
			exit = Exit.USAGE;
		}
		else {
			exit = Exit.UNAVAILABLE;
		}
		return new CliException(exit, error, reasons);
	}

	static String text(JsonNode node) {
		return (node == null || node.isNull() || node.isMissingNode()) ? null : node.asString();
	}

	/** An answer: its status and body. */
	record Answer(int status, byte[] body) {

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

}
