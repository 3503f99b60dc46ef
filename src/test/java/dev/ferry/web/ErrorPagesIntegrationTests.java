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
	void apiAnswers401JsonToAnonymousCallers() {
		HttpResponse<String> answer = new ConsoleClient(this.port).get("/api/v1/plans");
		assertThat(answer.statusCode()).isEqualTo(401);
		assertThat(answer.headers().firstValue("Location")).isEmpty();
		assertThat(answer.body()).startsWith("{\"error\":");
	}

}
