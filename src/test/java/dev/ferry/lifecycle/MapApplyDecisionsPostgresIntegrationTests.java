package dev.ferry.lifecycle;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.mapping.Candidate;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Queue;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.PeopleTables;
import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * What is written is what was approved, for a map on PostgreSQL (Ferry's store on
 * PostgreSQL too): a decision after the approval voids it (the apply request gets 409 and
 * the table stays as it was), a decision while the map's apply is queued gets 409, and a
 * decision that slipped past the request is caught when the apply starts, which then
 * writes nothing.
 */
class MapApplyDecisionsPostgresIntegrationTests extends PostgresIntegrationTest {

	static final String PLAN = "decide-pg";

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	MappingService mappings;

	@Autowired
	Scheduler scheduler;

	@Autowired
	JdbcClient store;

	@Autowired
	MockMvc mvc;

	@Autowired
	PhaseLifecycle lifecycle;

	@Test
	void theMapWrittenIsTheMapApproved() throws Exception {
		String url = target();
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand(PLAN, url, "postgres", null, false));
			this.plans
				.save(null,
						("plan: " + PLAN + "\nsource: " + PLAN + "\ntarget: " + PLAN + "\nphases:\n"
								+ PeopleTables.MAP_PHASE + "gates: []\n")
							.getBytes(StandardCharsets.UTF_8),
						PlanOrigin.API);
		});
		RunView dryRun = finished(operator(() -> this.runs.request(PLAN, "map", RunMode.DRY_RUN)));
		assertThat(dryRun.state()).as(dryRun.error()).isEqualTo(RunState.SUCCEEDED);
		// the similarity search's statement on PostgreSQL: a misspelled name finds its
		// record
		assertThat(SystemActor.call(() -> this.mappings.search(PLAN, "map", "Bob Rya", null, 5))).first()
			.extracting(Candidate::newKey)
			.isEqualTo("20");
		Actors.approve(this.approvals, PLAN, "map", dryRun.id());
		assertThat(state()).isEqualTo(PhaseState.APPROVED);

		// a decision after the approval voids it: the apply is refused, nothing is
		// written
		MappingItem dee = open();
		reviewer(() -> this.mappings.decide(PLAN, "map", dee.oldKey(),
				new DecisionCommand(MatchStatus.EXCLUDED, null, "left the company", dee.version())));
		assertThat(state()).isEqualTo(PhaseState.DRY_RUN_READY);
		assertThatThrownBy(() -> operator(() -> this.runs.request(PLAN, "map", RunMode.APPLY)))
			.isInstanceOfSatisfying(RefusedException.class, refused -> assertThat(refused.getReasons())
				.contains("The approval by operator2 is void: the decisions changed after it."));
		assertThat(rows(url, "SELECT count(*) FROM people_map")).isZero();

		// approved again; while the apply is queued, decisions are refused
		Actors.approve(this.approvals, PLAN, "map", dryRun.id());
		RunView apply;
		this.scheduler.pause();
		try {
			apply = operator(() -> this.runs.request(PLAN, "map", RunMode.APPLY));
			assertThat(apply.state()).isEqualTo(RunState.QUEUED);
			assertThat(state()).isEqualTo(PhaseState.APPLYING);
			MappingItem decided = SystemActor.call(() -> this.mappings.item(PLAN, "map", dee.oldKey()));
			String refusal = "The map of phase map is being applied (apply #" + apply.id()
					+ "): decide again when it has ended.";
			assertThatThrownBy(() -> reviewer(() -> this.mappings.undo(PLAN, "map", dee.oldKey(), decided.version())))
				.isInstanceOf(RefusedException.class)
				.hasMessage(refusal);
			this.mvc
				.perform(post("/api/v1/plans/" + PLAN + "/phases/map/mapping/" + dee.oldKey() + "/decision")
					.with(httpBasic("reviewer", FerryAppTest.DEMO_PASSWORD))
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"status\": \"excluded\", \"reason\": \"again\", \"version\": " + decided.version()
							+ "}"))
				.andExpect(status().isConflict())
				.andExpect(jsonPath("$.error").value(refusal));
		}
		finally {
			this.scheduler.resume();
		}
		RunView written = finished(apply);
		assertThat(written.state()).as(written.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(rows(url, "SELECT count(*) FROM people_map")).isEqualTo(3);

		// roll back, dry run and approve again; a decision that slips in between the
		// request and the start (written straight into the store, as a racing transaction
		// would) is caught when the apply starts: it fails and writes nothing
		RunView rollback = finished(operator(() -> this.runs.rollback(written.id())));
		assertThat(rollback.state()).as(rollback.error()).isEqualTo(RunState.SUCCEEDED);
		RunView again = finished(operator(() -> this.runs.request(PLAN, "map", RunMode.DRY_RUN)));
		Actors.approve(this.approvals, PLAN, "map", again.id());
		RunView slipped;
		this.scheduler.pause();
		try {
			slipped = operator(() -> this.runs.request(PLAN, "map", RunMode.APPLY));
			assertThat(this.store
				.sql("UPDATE mapping_decisions SET version = version + 1, reason = 'slipped in' "
						+ "WHERE plan = ? AND phase = 'map' AND old_key = ?")
				.params(PLAN, dee.oldKey())
				.update()).isEqualTo(1);
		}
		finally {
			this.scheduler.resume();
		}
		RunView refused = finished(slipped);
		assertThat(refused.state()).isEqualTo(RunState.FAILED);
		assertThat(refused.error()).startsWith("The decisions of phase map changed since they were approved")
			.endsWith("nothing was written; review them, then approve and apply again.");
		assertThat(rows(url, "SELECT count(*) FROM people_map")).isZero();
		assertThat(state()).isEqualTo(PhaseState.FAILED);
	}

	private PhaseState state() {
		return SystemActor.call(() -> this.lifecycle.status(PLAN, "map")).state();
	}

	private MappingItem open() {
		return SystemActor.call(() -> this.mappings.items(PLAN, "map", Queue.UNRESOLVED, null, null, 5)).items().get(0);
	}

	private String target() throws Exception {
		try (Connection c = DriverManager.getConnection(postgres().getJdbcUrl("postgres", "postgres"));
				Statement s = c.createStatement()) {
			s.execute("DROP DATABASE IF EXISTS decide_target");
			s.execute("CREATE DATABASE decide_target");
		}
		String url = postgres().getJdbcUrl("postgres", "decide_target");
		try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
			PeopleTables.create(s);
		}
		return url;
	}

	private static long rows(String url, String sql) throws Exception {
		try (Connection c = DriverManager.getConnection(url);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private RunView finished(RunView run) {
		return Await.finished(this.runs, run);
	}

	private static <T> T operator(java.util.function.Supplier<T> work) {
		return Actors.as("operator", Role.OPERATOR, work);
	}

	private static <T> T reviewer(java.util.function.Supplier<T> work) {
		return Actors.as("reviewer", Role.REVIEWER, work);
	}

}
