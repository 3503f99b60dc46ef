package dev.ferry.mapping;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A mapping with {@code unique-new: true} on an H2 target of its own: two old records
 * that both match one new record are conflicts, and a pick may not give a new record to a
 * second old record, whether a reviewer or the rules gave it to the first.
 */
@FerryAppTest
class UniqueNewMappingIntegrationTests {

	@TempDir
	static Path files;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	MappingService mappings;

	@Autowired
	MockMvc mvc;

	static final String COVERAGE = "/api/v1/plans/people/phases/map/mapping/coverage";

	@Test
	void conflictsAreFoundAndAPickMayNotTakeANewRecordTwice() throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("people").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE old_people (id INTEGER PRIMARY KEY, name VARCHAR(50), born INTEGER)");
			s.execute("CREATE TABLE new_people (id INTEGER PRIMARY KEY, name VARCHAR(50), born INTEGER)");
			s.execute("CREATE TABLE people_map (old_id INTEGER PRIMARY KEY, new_id INTEGER, status VARCHAR(20))");
			s.execute("INSERT INTO old_people VALUES (1, 'Ann Lee', 1980), (2, ' ann lee', 1980), (3, 'Bob Ray', 1970),"
					+ " (4, 'Cy Doe', 1990)");
			s.execute(
					"INSERT INTO new_people VALUES (10, 'Ann Lee', 1980), (11, 'ANN LEE', 1955), (20, 'Bob Ray', 1970),"
							+ " (30, 'Cy Doe', 1991), (31, 'Cy Doe', 1992)");
			H2Login.grant(s);
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("people", url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, """
					plan: people
					source: people
					target: people
					phases:
					  - id: map
					    kind: mapping
					    old: { table: old_people, key: id }
					    new: { table: new_people, key: id }
					    block: { old: name, new: name, normalize: [trim, lower] }
					    tie-breakers:
					      - { old: born, new: born }
					    unique-new: true
					    into: { table: people_map, old: old_id, new: new_id, status: status }
					gates: []
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		this.mvc.perform(get(COVERAGE).with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("Phase map of plan people has no finished mapping dry run yet."));
		RunView dryRun = SystemActor.call(() -> this.runs.request("people", "map", RunMode.DRY_RUN));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(dryRun.id())).state().active(), "the dry run");
		RunView done = SystemActor.call(() -> this.runs.get(dryRun.id()));
		assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(RunState.SUCCEEDED);

		Coverage coverage = SystemActor.call(() -> this.mappings.coverage("people", "map")).orElseThrow();
		// 1 and 2 both score 1.0 against 10 (and 0 against 11): both would be auto to 10
		assertThat(coverage.conflict()).isEqualTo(2);
		assertThat(coverage.auto()).as("3 to 20").isEqualTo(1);
		assertThat(coverage.ambiguous()).as("4: 30 and 31 both score 0").isEqualTo(1);
		assertThat(SystemActor.call(() -> this.mappings.items("people", "map", Queue.CONFLICT, null, null, 10)).items())
			.extracting(MappingItem::oldKey, MappingItem::bestNewKey)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("1", "10"),
					org.assertj.core.groups.Tuple.tuple("2", "10"));
		// the API gives the dashboard's figures
		this.mvc.perform(get(COVERAGE).with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.runId").value(dryRun.id()))
			.andExpect(jsonPath("$.all").value(4))
			.andExpect(jsonPath("$.auto").value(1))
			.andExpect(jsonPath("$.conflict").value(2))
			.andExpect(jsonPath("$.ambiguous").value(1))
			.andExpect(jsonPath("$.open").value(3))
			.andExpect(jsonPath("$.coverage").value(0.25));

		decide("1", "10", 0);
		assertThatThrownBy(() -> decide("2", "10", 0)).isInstanceOf(RefusedException.class)
			.hasMessageContaining("new record 10 is already the map of old record 1 (a reviewer mapped it there)");
		assertThatThrownBy(() -> decide("2", "20", 0)).isInstanceOf(RefusedException.class)
			.hasMessageContaining("new record 20 is already the map of old record 3 (the rules mapped it there)");
		assertThat(decide("2", "11", 0).status()).isEqualTo(MatchStatus.MANUAL);

		Coverage after = SystemActor.call(() -> this.mappings.coverage("people", "map")).orElseThrow();
		assertThat(after.conflict()).isZero();
		assertThat(after.manual()).isEqualTo(2);
		this.mvc.perform(get(COVERAGE).with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$.manual").value(2))
			.andExpect(jsonPath("$.conflict").value(0))
			.andExpect(jsonPath("$.open").value(1))
			.andExpect(jsonPath("$.coverage").value(0.75));
		BulkPreview ties = SystemActor.call(() -> this.mappings.bulkPreview("people", "map", Queue.AMBIGUOUS, 0.0));
		assertThat(ties.accepted()).isZero();
		assertThat(ties.tied()).isEqualTo(1);
	}

	private MappingItem decide(String oldKey, String newKey, long version) {
		return SystemActor.call(() -> this.mappings.decide("people", "map", oldKey,
				new DecisionCommand(MatchStatus.MANUAL, newKey, null, version)));
	}

}
