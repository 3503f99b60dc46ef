package dev.ferry.notify;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.FerryApplication;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A notification survives a stop at the worst moment: the run that fails has committed,
 * and the listener that turns its end into a delivery was handed to a worker that never
 * runs it (the first application context is closed then, as a process killed at that
 * moment would be). After the restart on the same store the event publication registry
 * hands the event over again, the delivery is written once and the receiver gets it once.
 */
@Tag("integration")
class WebhookAfterCrashIntegrationTests {

	@TempDir
	static Path dir;

	@Test
	void aDeliveryLostToAStopRightAfterTheRunIsSentOnceAfterTheRestart() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		HttpServer receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		receiver.createContext("/", exchange -> {
			received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
		try {
			String url = "jdbc:h2:file:" + dir.resolve("dock").toAbsolutePath();
			try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
				s.execute("CREATE TABLE items (code INTEGER PRIMARY KEY, label VARCHAR(40))");
				s.execute("CREATE TABLE flags (bad INTEGER)");
				H2Login.grant(s);
			}
			String hook = "http://localhost:" + receiver.getAddress().getPort() + "/ferry";
			RunView failed;
			try (ConfigurableApplicationContext first = start(WorkersThatNeverRun.class)) {
				SystemActor.run(() -> {
					first.getBean(ConnectionService.class)
						.create(new ConnectionCommand("dock", url, H2Login.USER, H2Login.PASSWORD, false));
					first.getBean(PlanService.class).save(null, PLAN.getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
				});
				Actors.as("admin", Role.ADMIN,
						() -> first.getBean(WebhookService.class)
							.create(new WebhookCommand("ops", hook, "ferry", List.of("run.failed"), null, "ops-secret",
									false, true)));
				RunService runs = first.getBean(RunService.class);
				failed = Await.finished(runs, SystemActor.call(() -> runs.request("dock", "load", RunMode.DRY_RUN)));
				assertThat(failed.state()).isEqualTo(RunState.FAILED);
				JdbcClient store = first.getBean(JdbcClient.class);
				// handed over by the run's thread right after its last commit, which the
				// run's
				// state may show a moment before
				Await.until(() -> !WorkersThatNeverRun.held.isEmpty(), "the listeners' work, handed to the workers");
				assertThat(store.sql("SELECT count(*) FROM webhook_deliveries").query(Long.class).single()).isZero();
				assertThat(store
					.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL "
							+ "AND listener_id LIKE '%WebhookListeners.runEnded%' AND serialized_event LIKE ?")
					.param("%\"runId\":" + failed.id() + ",%")
					.query(Long.class)
					.single()).as("the run's end, published to the webhook listener, not completed").isOne();
			}

			try (ConfigurableApplicationContext second = start()) {
				JdbcClient store = second.getBean(JdbcClient.class);
				Await.until(() -> store.sql("SELECT count(*) FROM webhook_deliveries").query(Long.class).single() == 1,
						"the delivery, written after the restart");
				WebhookService webhooks = second.getBean(WebhookService.class);
				assertThat(SystemActor.call(() -> webhooks.deliverDue())).isOne();
				assertThat(received).hasSize(1);
				assertThat(received.get(0)).contains("\"event\":\"run.failed\"")
					.contains("\"key\":\"run.failed:" + failed.id() + "\"");
				Await.until(() -> store.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL")
					.query(Long.class)
					.single() == 0, "every publication completed");
				assertThat(SystemActor.call(() -> webhooks.deliverDue())).as("sent once").isZero();
				assertThat(store.sql("SELECT count(*) FROM webhook_deliveries").query(Long.class).single())
					.as("written once")
					.isOne();
			}
		}
		finally {
			receiver.stop(0);
		}
	}

	private static ConfigurableApplicationContext start(Class<?>... extra) {
		String store = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
				+ ";MODE=PostgreSQL;DEFAULT_NULL_ORDERING=HIGH";
		Class<?>[] sources = new Class<?>[extra.length + 1];
		sources[0] = FerryApplication.class;
		System.arraycopy(extra, 0, sources, 1, extra.length);
		return new SpringApplicationBuilder(sources).profiles("test")
			.run("--spring.datasource.url=" + store, "--server.port=0",
					"--ferry.data-dir=" + dir.resolve("data").toAbsolutePath(), "--db-scheduler.polling-interval=200ms",
					"--db-scheduler.heartbeat-interval=1s", "--ferry.http-checks.allowed-hosts=localhost",
					"--ferry.webhooks.poll=1h");
	}

	static final String PLAN = """
			plan: dock
			source: dock
			target: dock
			phases:
			  - id: load
			    kind: import
			    query: SELECT 1 / (SELECT count(*) FROM flags) AS code, 'x' AS label
			    table: items
			    key: [code]
			    columns:
			      code:  { type: integer }
			      label: { required: true }
			""";

	/**
	 * The workers of a process about to die: what is handed to them after a commit (the
	 * durable listeners' work) is kept here and never run.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class WorkersThatNeverRun {

		static final List<Runnable> held = new CopyOnWriteArrayList<>();

		@Bean(name = { "taskExecutor", "applicationTaskExecutor" })
		@Primary
		TaskExecutor taskExecutor() {
			return held::add;
		}

	}

}
