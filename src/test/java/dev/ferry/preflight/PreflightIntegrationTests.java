package dev.ferry.preflight;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.support.Await;
import dev.ferry.connection.ConnectionService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A preflight dry run of the demo plan through the API: counts, checksums and the
 * query-unchanged baseline are measured, and neither database changes (promise 1).
 */
@FerryAppTest
class PreflightIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	RunService runs;

	@Autowired
	PreflightService preflights;

	@Autowired
	ConnectionService connections;

	@Autowired
	dev.ferry.plan.PlanService plans;

	@Test
	void preflightOfTheDemoPlanMeasuresAndWritesNothing() throws Exception {
		String targetBefore = dump("app", "AHSLISTING", "LISTING");
		String sourceBefore = dump("cultivars", "cultivars");

		String body = this.mvc
			.perform(post("/api/v1/plans/ahs-v2/phases/preflight/runs")
				.with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/json")
				.content("{\"mode\": \"dry-run\"}"))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long runId = Long.parseLong(body.replaceAll("\\D", ""));
		this.mvc
			.perform(post("/api/v1/plans/ahs-v2/phases/preflight/runs")
				.with(httpBasic("operator2", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/json")
				.content("{\"mode\": \"dry-run\"}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.reasons[0]")
				.value(containsString("Run #" + runId + " of plan ahs-v2 is still active")));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(runId)).state().active(), "the preflight run to end");
		this.mvc.perform(get("/api/v1/runs/" + runId).with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$.state").value("succeeded"))
			.andExpect(jsonPath("$.mode").value("dry-run"))
			.andExpect(jsonPath("$.requestedBy").value("operator"))
			.andExpect(jsonPath("$.progress.done").value(4))
			.andExpect(jsonPath("$.progress.total").value(4));

		List<Measurement> measured = SystemActor.call(() -> this.preflights.measurements(runId));
		assertThat(measured).extracting(Measurement::subject)
			.containsExactly("source.cultivars", "target.AhsListing", "target.Listing", "listings-intact");
		assertThat(measured).extracting(Measurement::rows).containsExactly(50_000L, 20_000L, 30_000L, 30_000L);
		assertThat(measured.get(0).checksum()).as("count only").isNull();
		assertThat(measured.get(1).checksum()).startsWith("20000:").hasSize("20000:".length() + 16);
		assertThat(measured.get(3).kind()).isEqualTo(Measurement.Kind.QUERY);
		assertThat(measured.get(3).checksum()).hasSize(64);

		assertThat(dump("app", "AHSLISTING", "LISTING")).as("the target is unchanged").isEqualTo(targetBefore);
		assertThat(dump("cultivars", "cultivars")).as("the source is unchanged").isEqualTo(sourceBefore);

		this.mvc
			.perform(post("/api/v1/plans/ahs-v2/phases/preflight/runs")
				.with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/json")
				.content("{\"mode\": \"apply\"}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error").value(containsString("has no apply")));
	}

	@Test
	void snapshotTablesGetTheirChecksumBaseline() throws Exception {
		String plan = """
				plan: snapshot-baseline
				source: cultivars
				target: app
				phases:
				  - id: preflight
				    kind: preflight
				    count: [source.cultivars]
				    snapshot: [target.Listing]
				gates: []
				""";
		SystemActor.run(() -> this.plans.save(null, plan.getBytes(java.nio.charset.StandardCharsets.UTF_8),
				dev.ferry.plan.PlanOrigin.API));
		long runId = SystemActor.call(() -> this.runs.request("snapshot-baseline", "preflight", RunMode.DRY_RUN)).id();
		Await.until(() -> !SystemActor.call(() -> this.runs.get(runId)).state().active(), "the preflight run to end");
		List<Measurement> measured = SystemActor.call(() -> this.preflights.measurements(runId));
		assertThat(measured).extracting(Measurement::subject).containsExactly("source.cultivars", "target.Listing");
		assertThat(measured.get(1).checksum()).startsWith("30000:");
	}

	/**
	 * Every row of the tables, in key order, hashed: equal dumps mean unchanged tables.
	 */
	private String dump(String connection, String... tables) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		try (Connection c = SystemActor.call(() -> this.connections.dataSource(connection)).getConnection();
				Statement statement = c.createStatement()) {
			for (String table : tables) {
				try (ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
					int columns = rs.getMetaData().getColumnCount();
					while (rs.next()) {
						for (int i = 1; i <= columns; i++) {
							digest.update(String.valueOf(rs.getObject(i)).getBytes());
							digest.update((byte) 0);
						}
					}
				}
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

}
