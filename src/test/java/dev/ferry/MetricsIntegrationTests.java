package dev.ferry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.HoldPhase;
import dev.ferry.support.PeopleTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code /actuator/prometheus} while a run runs: Ferry's own figures (runs by state, the
 * running run's rows per second, gate results, review queue sizes) are there, and only
 * admins and the metrics token may read them.
 */
@FerryAppTest
@Import(HoldPhase.class)
@TestPropertySource(properties = "ferry.metrics.token=" + MetricsIntegrationTests.METRICS_TOKEN)
class MetricsIntegrationTests {

	static final String METRICS_TOKEN = "prometheus-scrapes-with-this-token";

	@TempDir
	static Path files;

	@Autowired
	MockMvc mvc;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@AfterEach
	void letGo() {
		HoldPhase.release();
	}

	@Test
	void prometheusShowsFerrysFiguresDuringARun() throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("metrics").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			PeopleTables.create(s);
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("metrics", url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, """
					plan: metrics
					source: metrics
					target: metrics
					phases:
					  - id: hold
					    kind: preflight
					    count: [target.old_people]
					MAP
					    gates: [coverage]
					gates:
					  - { id: coverage, check: mapping-coverage, at-least: 90% }
					""".replace("MAP\n", PeopleTables.MAP_PHASE).getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		finished(SystemActor.call(() -> this.runs.request("metrics", "map", RunMode.DRY_RUN)));

		HoldPhase.hold();
		RunView holding = SystemActor.call(() -> this.runs.request("metrics", "hold", RunMode.DRY_RUN));
		Pattern rate = Pattern.compile("^ferry_run_rows_per_second\\{[^}]*run=\"" + holding.id() + "\"[^}]*\\} (\\S+)$",
				Pattern.MULTILINE);
		Await.until(() -> value(scrape(), rate).filter(v -> v > 0).isPresent(), "the running run's rows per second");
		String metrics = scrape();
		assertThat(metrics).contains("ferry_runs{state=\"running\"} 1.0", "ferry_runs{state=\"succeeded\"} 1.0")
			.containsPattern(
					"(?m)^ferry_run_rows_per_second\\{[^}]*mode=\"dry-run\"[^}]*phase=\"hold\"[^}]*plan=\"metrics\"")
			.containsPattern("(?m)^ferry_gate_passed\\{[^}]*gate=\"coverage\"[^}]*plan=\"metrics\"[^}]*\\} 0.0$")
			.containsPattern(
					"(?m)^ferry_review_queue\\{[^}]*phase=\"map\"[^}]*plan=\"metrics\",queue=\"unresolved\"\\} 1.0$")
			.containsPattern("(?m)^ferry_mapping_coverage_ratio\\{phase=\"map\",plan=\"metrics\"\\} 0.75$");

		// not public: a scraper needs the metrics token, a person must be an admin
		this.mvc.perform(get("/actuator/prometheus"))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").exists());
		this.mvc.perform(get("/actuator/prometheus").with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/actuator/prometheus").header("Authorization", "Bearer not-the-metrics-token"))
			.andExpect(status().isUnauthorized());
		this.mvc.perform(get("/actuator/prometheus").session(ConsoleSession.signIn(this.mvc, "viewer")))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/actuator/prometheus").session(ConsoleSession.signIn(this.mvc, "admin")))
			.andExpect(status().isOk());
		// the metrics token reads the metrics and nothing else
		this.mvc.perform(get("/api/v1/plans").header("Authorization", "Bearer " + METRICS_TOKEN))
			.andExpect(status().isUnauthorized());
		this.mvc.perform(get("/actuator/health").header("Authorization", "Bearer " + METRICS_TOKEN))
			.andExpect(status().isOk());

		HoldPhase.release();
		assertThat(finished(holding).state()).isEqualTo(RunState.SUCCEEDED);
		Await.until(() -> value(scrape(), rate).isEmpty() && scrape().contains("ferry_runs{state=\"running\"} 0.0"),
				"the run gone from the running figures");
		assertThat(scrape()).contains("ferry_runs{state=\"succeeded\"} 2.0");
	}

	private String scrape() {
		try {
			return this.mvc.perform(get("/actuator/prometheus").header("Authorization", "Bearer " + METRICS_TOKEN))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Optional<Double> value(String metrics, Pattern line) {
		Matcher found = line.matcher(metrics);
		return found.find() ? Optional.of(Double.parseDouble(found.group(1))) : Optional.empty();
	}

	private RunView finished(RunView run) {
		return Await.finished(this.runs, run);
	}

}
