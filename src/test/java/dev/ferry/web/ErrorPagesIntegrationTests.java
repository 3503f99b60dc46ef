package dev.ferry.web;

import java.net.http.HttpResponse;

import dev.ferry.support.ConsoleClient;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors through a real server, where the container forwards them to the error pages:
 * words for people, JSON for the API, never a stack trace.
 */
@FerryAppTest
class ErrorPagesIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void viewerOpeningAnAdminPageGetsTheForbiddenPage() {
		HttpResponse<String> page = new ConsoleClient(this.port).signIn("viewer", FerryAppTest.DEMO_PASSWORD)
			.get("/admin/users");
		assertThat(page.statusCode()).isEqualTo(403);
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("You are not allowed to do that")
			.contains("class=\"topbar\"")
			.contains("Back to the home page")
			.doesNotContain("Exception")
			.doesNotContain("Whitelabel");
	}

	@Test
	void unknownPageShowsTheNotFoundPage() {
		HttpResponse<String> page = new ConsoleClient(this.port).signIn("viewer", FerryAppTest.DEMO_PASSWORD)
			.get("/no-such-page");
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(page.body()).contains("Page not found").doesNotContain("Exception");
	}

	@Test
	void apiErrorsAreJson() {
		HttpResponse<String> answer = new ConsoleClient(this.port).get("/api/v1/no-such-thing", "Authorization",
				"Basic " + java.util.Base64.getEncoder()
					.encodeToString(("viewer:" + FerryAppTest.DEMO_PASSWORD).getBytes()));
		assertThat(answer.statusCode()).isEqualTo(404);
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
		assertThat(answer.body()).isEqualTo("{\"error\":\"Not Found\",\"reasons\":[]}");
	}

	@Test
	void theHostHeaderIsNeverReflectedIntoARedirect() throws Exception {
		String answer = raw("GET /plans HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 302");
		assertThat(answer.lines().filter(line -> line.toLowerCase().startsWith("location:"))).singleElement()
			.satisfies(location -> assertThat(location).doesNotContain("evil.example").contains("/login"));
	}

	@Test
	void anEncodedSlashUnderTheApiIsAnsweredInJson() throws Exception {
		String answer = raw(
				"GET /api/v1/plans/a%2F..%2Fb HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 400");
		assertThat(answer).containsIgnoringCase("Content-Type: application/json").contains("{\"error\":");
	}

	private String raw(String request) throws Exception {
		try (java.net.Socket socket = new java.net.Socket("localhost", this.port)) {
			socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
		}
	}

	@Test
	void apiAnswers401JsonToAnonymousCallers() {
		HttpResponse<String> answer = new ConsoleClient(this.port).get("/api/v1/plans");
		assertThat(answer.statusCode()).isEqualTo(401);
		assertThat(answer.headers().firstValue("Location")).isEmpty();
		assertThat(answer.body()).startsWith("{\"error\":");
	}

}
