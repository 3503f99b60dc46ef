package dev.ferry.run;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.Execution;
import dev.ferry.FerryApplication;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.BatchHold;
import dev.ferry.support.FerryAppTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Ferry processes on one PostgreSQL store, as behind a load balancer: db-scheduler
 * gives each queued run, requested on either, to exactly one of them, which does all of
 * it; a run held by a live instance is not taken over by the other; and a console session
 * made on one is served by the other, CSRF token and sign-out included. Which instance
 * takes a run is not promised, so where the test needs to know, it pauses the other
 * instance's polling ({@code Scheduler.pause()}: heartbeats and dead-execution checks go
 * on) and holds the run between batches with {@link BatchHold}.
 */
@Tag("postgres")
@Tag("integration")
class TwoInstancesIntegrationTests {

	static final int RUNS = 6;

	static final Duration HEARTBEAT = Duration.ofSeconds(1);

	/** After these many missed heartbeats an execution counts as dead. */
	static final int MISSED_HEARTBEATS = 4;

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

	@AfterEach
	void bothPolling() {
		BatchHold.disarm();
		scheduler(one).resume();
		scheduler(two).resume();
	}

	@Test
	void everyRunRequestedOnEitherInstanceRunsExactlyOnceAndCompletes() {
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < RUNS; i++) {
			// requested on either instance: it only goes into the shared queue
			ids.add(request((i % 2 == 0) ? one : two, "shared-" + i));
		}
		for (long id : ids) {
			succeeded(id);
			// which instance polls first is not promised; that one instance does all of
			// a run is
			assertRanOnceOn(id, null);
		}
	}

	@Test
	void aRunHeldByALiveInstanceIsNotTakenOverAndRunsRequestedMeanwhileRunOnTheOther() {
		RunService runs = one.getBean(RunService.class);
		// only instance one polls: the run requested on two is taken by one, and held
		// there after its third batch
		scheduler(two).pause();
		BatchHold.Hold held = BatchHold.afterBatches("held", "tick", RunMode.DRY_RUN, 3);
		long heldId = request(two, "held");
		assertThat(held.awaitHeld()).isEqualTo(heldId);
		assertThat(held.instance()).isEqualTo("one");
		Instant heldSince = Instant.now();

		// now only two polls: whatever is requested, on either instance, runs on two
		scheduler(one).pause();
		DeadExecutionChecks checks = two.getBean(DeadExecutionChecks.class);
		int deadBefore = checks.dead.get();
		scheduler(two).resume();
		List<Long> meanwhile = List.of(request(one, "meanwhile-0"), request(two, "meanwhile-1"));
		for (long id : meanwhile) {
			succeeded(id);
			assertRanOnceOn(id, "two");
		}

		// two has looked for dead executions twice since the held run would count as
		// dead, had one stopped sending its heartbeats
		Instant wouldBeDead = heldSince.plus(HEARTBEAT.multipliedBy(MISSED_HEARTBEATS));
		Await.until(() -> checks.completedAfter(wouldBeDead) >= 2,
				"instance two to look for dead executions after " + wouldBeDead);
		assertThat(checks.dead.get()).as("two found no dead execution").isEqualTo(deadBefore);
		JdbcClient store = one.getBean(JdbcClient.class);
		assertThat(store.sql("SELECT picked_by FROM scheduled_tasks WHERE task_instance = ?")
			.param(String.valueOf(heldId))
			.query(String.class)
			.single()).as("the held run is still one's").isEqualTo("one");
		assertThat(SystemActor.call(() -> runs.get(heldId)).state()).isEqualTo(RunState.RUNNING);
		assertThat(ticks(store, heldId)).containsExactly("0@one", "1@one", "2@one");

		held.release();
		scheduler(one).resume();
		succeeded(heldId);
		assertRanOnceOn(heldId, "one");
		assertThat(held.awaitOver()).as("released, not handed back").isFalse();
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

	private static long request(ConfigurableApplicationContext instance, String plan) {
		SystemActor.run(() -> instance.getBean(PlanService.class)
			.save(null, TickerPhase.PLAN.formatted(plan).getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
		RunService runs = instance.getBean(RunService.class);
		return SystemActor.call(() -> runs.request(plan, "tick", RunMode.DRY_RUN)).id();
	}

	private static void succeeded(long id) {
		RunService runs = one.getBean(RunService.class);
		Await.until(() -> !SystemActor.call(() -> runs.get(id)).state().active(), "run #" + id);
		RunView run = SystemActor.call(() -> runs.get(id));
		assertThat(run.state()).as("run #%d: %s", id, run.error()).isEqualTo(RunState.SUCCEEDED);
	}

	/**
	 * The run did every batch exactly once, all on one instance ({@code instance}, when
	 * not null), started once and never resumed.
	 */
	private static void assertRanOnceOn(long id, String instance) {
		JdbcClient store = one.getBean(JdbcClient.class);
		RunService runs = one.getBean(RunService.class);
		List<String> ticks = ticks(store, id);
		String ranOn = ticks.isEmpty() ? null : ticks.get(0).substring(ticks.get(0).indexOf('@') + 1);
		if (instance != null) {
			assertThat(ranOn).as("run #%d ran on %s", id, instance).isEqualTo(instance);
		}
		assertThat(ticks).as("run #%d did every batch exactly once, on one instance", id)
			.containsExactlyElementsOf(IntStream.range(0, TickerPhase.BATCHES).mapToObj(n -> n + "@" + ranOn).toList());
		assertThat(store.sql("SELECT count(*) FROM run_batches WHERE run_id = ?").param(id).query(Long.class).single())
			.isEqualTo(TickerPhase.BATCHES);
		List<String> log = SystemActor.call(() -> runs.log(id)).stream().map(RunLogLine::message).toList();
		assertThat(log).filteredOn(line -> line.startsWith("Started")).hasSize(1);
		assertThat(log).filteredOn(line -> line.startsWith("Resumed")).isEmpty();
	}

	/** The run's ticks in order, each as number@instance. */
	private static List<String> ticks(JdbcClient store, long id) {
		return store.sql("SELECT n, instance FROM ticks WHERE run_id = ? ORDER BY n")
			.param(id)
			.query((rs, row) -> rs.getInt(1) + "@" + rs.getString(2))
			.list();
	}

	private static Scheduler scheduler(ConfigurableApplicationContext instance) {
		return instance.getBean(Scheduler.class);
	}

	/**
	 * Counts an instance's completed checks for dead executions, and the dead executions
	 * they found (a bean: db-scheduler's starter registers every SchedulerListener bean).
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class DeadExecutionChecksConfiguration {

		@Bean
		DeadExecutionChecks deadExecutionChecks() {
			return new DeadExecutionChecks();
		}

	}

	static final class DeadExecutionChecks extends AbstractSchedulerListener {

		final List<Instant> completed = new CopyOnWriteArrayList<>();

		final AtomicInteger dead = new AtomicInteger();

		@Override
		public void onSchedulerEvent(SchedulerEventType type) {
			if (type == SchedulerEventType.RAN_DETECT_DEAD) {
				this.completed.add(Instant.now());
			}
		}

		@Override
		public void onExecutionDead(Execution execution) {
			this.dead.incrementAndGet();
		}

		/**
		 * Checks completed after the instant; all but the first of them also started
		 * after it.
		 */
		long completedAfter(Instant instant) {
			return this.completed.stream().filter(at -> at.isAfter(instant)).count();
		}

	}

	private static ConfigurableApplicationContext instance(String name) {
		// command-line arguments, so they win over the test profile's own settings
		return new SpringApplicationBuilder(FerryApplication.class, TickerPhase.class, BatchHold.class,
				DeadExecutionChecksConfiguration.class)
			.profiles("test", "postgres")
			.run("--FERRY_DB_URL=" + postgres.getJdbcUrl("postgres", "postgres"), "--FERRY_DB_USER=postgres",
					"--FERRY_DB_PASSWORD=", "--server.port=0", "--ferry.sessions=jdbc",
					"--ferry.data-dir=" + data.toAbsolutePath(), "--ferry.test.instance=" + name,
					"--db-scheduler.threads=2", "--db-scheduler.polling-interval=200ms",
					"--db-scheduler.scheduler-name=" + name,
					"--db-scheduler.heartbeat-interval=" + HEARTBEAT.toMillis() + "ms",
					"--db-scheduler.missed-heartbeats-limit=" + MISSED_HEARTBEATS);
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
