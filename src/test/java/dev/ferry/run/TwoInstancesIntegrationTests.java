package dev.ferry.run;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import dev.ferry.FerryApplication;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Ferry processes on one PostgreSQL store, as behind a load balancer: db-scheduler
 * gives each queued run to exactly one of them (both do some of the work), and a console
 * session made on one is served by the other, CSRF token and sign-out included.
 */
class TwoInstancesIntegrationTests {

	static final int RUNS = 6;

	@TempDir
	static Path data;

	static EmbeddedPostgres postgres;

	static ConfigurableApplicationContext one;

	static ConfigurableApplicationContext two;

	final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@BeforeAll
	static void start() throws IOException {
		postgres = EmbeddedPostgres.builder().start();
		// one after the other, as a rolling start: the first creates the store and the
		// demo
		one = instance("one");
		two = instance("two");
	}

	@AfterAll
	static void stop() throws IOException {
		if (two != null) {
			two.close();
		}
		if (one != null) {
			one.close();
		}
		postgres.close();
	}

	@Test
	void eachQueuedRunRunsExactlyOnceOnOneOfTheTwo() {
		PlanService plans = one.getBean(PlanService.class);
		RunService runs = one.getBean(RunService.class);
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < RUNS; i++) {
			String plan = "shared-" + i;
			SystemActor.run(() -> plans.save(null, TickerPhase.PLAN.formatted(plan).getBytes(StandardCharsets.UTF_8),
					PlanOrigin.API));
			// requested on either instance: it only goes into the shared queue
			RunService requester = (i % 2 == 0) ? runs : two.getBean(RunService.class);
			ids.add(SystemActor.call(() -> requester.request(plan, "tick", RunMode.DRY_RUN)).id());
		}
		for (long id : ids) {
			Await.until(() -> SystemActor.call(() -> runs.get(id)).state() == RunState.SUCCEEDED, "run #" + id);
		}
		JdbcClient store = one.getBean(JdbcClient.class);
		List<String> ranOn = new ArrayList<>();
		for (long id : ids) {
			assertThat(
					store.sql("SELECT n FROM ticks WHERE run_id = ? ORDER BY n").param(id).query(Integer.class).list())
				.as("run #%d did every batch exactly once", id)
				.containsExactlyElementsOf(IntStream.range(0, TickerPhase.BATCHES).boxed().toList());
			List<String> instances = store.sql("SELECT DISTINCT instance FROM ticks WHERE run_id = ?")
				.param(id)
				.query(String.class)
				.list();
			assertThat(instances).as("run #%d ran on one instance", id).hasSize(1);
			ranOn.add(instances.get(0));
			assertThat(
					store.sql("SELECT count(*) FROM run_batches WHERE run_id = ?").param(id).query(Long.class).single())
				.isEqualTo(TickerPhase.BATCHES);
			assertThat(SystemActor.call(() -> runs.log(id))).extracting(RunLogLine::message)
				.filteredOn(line -> line.startsWith("Started"))
				.hasSize(1);
		}
		assertThat(ranOn).as("both instances took runs from the queue").contains("one", "two");
	}

	@Test
	void aSessionMadeOnOneIsServedByTheOther() throws Exception {
		// sign in through instance one's login form
		HttpResponse<String> form = get(one, "/login", null);
		String cookie = sessionCookie(form, null);
		HttpResponse<String> signedIn = post(one, "/login", cookie,
				Map.of("username", "operator", "password", FerryAppTest.DEMO_PASSWORD, "_csrf", csrf(form.body())));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
		cookie = sessionCookie(signedIn, cookie);

		// instance two knows the session: the profile, and a form with the session's CSRF
		// token
		HttpResponse<String> profile = get(two, "/profile", cookie);
		assertThat(profile.statusCode()).isEqualTo(200);
		assertThat(profile.body()).contains("Your profile", "operator");
		HttpResponse<String> token = post(two, "/profile/tokens", cookie,
				Map.of("name", "made-on-two", "days", "30", "_csrf", csrf(profile.body())));
		assertThat(token.statusCode()).isEqualTo(200);
		assertThat(token.body()).contains("Token made-on-two is made.");

		// signed out on two: one does not serve the session any more
		HttpResponse<String> out = post(two, "/logout", cookie, Map.of("_csrf", csrf(token.body())));
		assertThat(out.statusCode()).isEqualTo(302);
		HttpResponse<String> after = get(one, "/profile", cookie);
		assertThat(after.statusCode()).isEqualTo(302);
		assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/login");
	}

	private static ConfigurableApplicationContext instance(String name) {
		// command-line arguments, so they win over the test profile's own settings
		return new SpringApplicationBuilder(FerryApplication.class, TickerPhase.class).profiles("test", "postgres")
			.run("--FERRY_DB_URL=" + postgres.getJdbcUrl("postgres", "postgres"), "--FERRY_DB_USER=postgres",
					"--FERRY_DB_PASSWORD=", "--server.port=0", "--ferry.sessions=jdbc",
					"--ferry.data-dir=" + data.toAbsolutePath(), "--ferry.test.instance=" + name,
					"--db-scheduler.threads=2", "--db-scheduler.polling-interval=200ms",
					"--db-scheduler.heartbeat-interval=1s");
	}

	private HttpResponse<String> get(ConfigurableApplicationContext instance, String path, String cookie)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(url(instance, path)).GET();
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(ConfigurableApplicationContext instance, String path, String cookie,
			Map<String, String> fields) throws Exception {
		StringBuilder body = new StringBuilder();
		fields.forEach((key, value) -> body.append(body.isEmpty() ? "" : "&")
			.append(URLEncoder.encode(key, StandardCharsets.UTF_8))
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		HttpRequest.Builder request = HttpRequest.newBuilder(url(instance, path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()));
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static URI url(ConfigurableApplicationContext instance, String path) {
		String port = instance.getEnvironment().getProperty("local.server.port");
		return URI.create("http://localhost:" + port + path);
	}

	/** The SESSION cookie the answer sets, or the one sent when it sets none. */
	private static String sessionCookie(HttpResponse<String> response, String sent) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter(header -> header.startsWith("SESSION="))
			.map(header -> header.substring(0, header.indexOf(';')))
			.findFirst()
			.orElse(sent);
	}

	private static String csrf(String page) {
		Matcher found = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
		assertThat(found.find()).as("the page has a CSRF token").isTrue();
		return found.group(1);
	}

}
