package dev.ferry.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunView;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The audit log records what people and runs do, in order, chained by hashes: a
 * connection created, a plan saved, a dry run requested, started and ended, an approval;
 * the chain verifies; changing one entry in the store makes the verification name that
 * entry, in the service and through the API (ADMIN only).
 */
@FerryAppTest
class AuditIntegrationTests {

	@TempDir
	static Path files;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	AuditService audit;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient store;

	@Autowired
	MockMvc mvc;

	@Test
	void theLogIsReadPageByPageNewestFirst() throws Exception {
		// at least the sign-ins of this test's own requests are in it
		for (int i = 0; i < 3; i++) {
			ConsoleSession.signIn(this.mvc, "viewer");
		}
		JsonNode first = page("/api/v1/audit?limit=2");
		assertThat(first.path("items")).hasSize(2);
		long newest = first.path("items").get(0).path("seq").asLong();
		long second = first.path("items").get(1).path("seq").asLong();
		assertThat(second).isLessThan(newest);
		String next = first.path("next").asString();
		assertThat(next).isEqualTo(String.valueOf(second));
		JsonNode following = page("/api/v1/audit?limit=2&after=" + next);
		assertThat(following.path("items").get(0).path("seq").asLong()).isLessThan(second);
		// the last page has no next
		JsonNode last = page("/api/v1/audit?limit=500&after=3");
		assertThat(last.path("items")).hasSize(2);
		assertThat(last.path("next").isNull()).isTrue();
		this.mvc.perform(get("/api/v1/audit?limit=501").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("limit must be between 1 and 500, not 501."));
		this.mvc.perform(get("/api/v1/audit?after=yesterday").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").exists());
	}

	private JsonNode page(String path) throws Exception {
		return this.json.readTree(this.mvc.perform(get(path).with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
	}

	@Test
	void actionsAreChainedAndAChangedEntryIsFound() throws Exception {
		String url = "jdbc:h2:file:" + files.resolve("audited").toAbsolutePath();
		H2Login.grant(url);
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("audited", url, H2Login.USER, H2Login.PASSWORD, false));
			this.plans.save(null, """
					plan: audited
					source: audited
					target: audited
					phases:
					  - id: schema
					    kind: sql
					    apply: CREATE TABLE audited_things (id INTEGER)
					    rollback: DROP TABLE audited_things
					gates: []
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		RunView dryRun = Actors.as("operator", Role.OPERATOR,
				() -> this.runs.request("audited", "schema", RunMode.DRY_RUN));
		Await.until(() -> !SystemActor.call(() -> this.runs.get(dryRun.id())).state().active(), "the dry run");
		Actors.approve(this.approvals, "audited", "schema", dryRun.id());

		String subject = "audited/schema run #" + dryRun.id();
		List<AuditEntry> entries = SystemActor.call(() -> this.audit.entries(null, null, null, 500));
		assertThat(entries).filteredOn(entry -> entry.subject().equals(subject))
			.extracting(AuditEntry::actor, AuditEntry::action)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("operator2", "phase.approved"),
					org.assertj.core.groups.Tuple.tuple("operator2", "approval.given"),
					org.assertj.core.groups.Tuple.tuple("ferry-system", "run.succeeded"),
					org.assertj.core.groups.Tuple.tuple("ferry-system", "phase.dry-run-succeeded"),
					org.assertj.core.groups.Tuple.tuple("ferry-system", "run.started"),
					org.assertj.core.groups.Tuple.tuple("operator", "phase.dry-run-requested"),
					org.assertj.core.groups.Tuple.tuple("operator", "run.requested"));
		assertThat(entries).anySatisfy(entry -> {
			assertThat(entry.action()).isEqualTo("connection.created");
			assertThat(entry.subject()).isEqualTo("audited");
			assertThat(entry.actor()).isEqualTo("ferry-system");
		}).anySatisfy(entry -> {
			assertThat(entry.action()).isEqualTo("plan.saved");
			assertThat(entry.subject()).isEqualTo("audited version 1");
		});
		// newest first, each seq once
		assertThat(entries).extracting(AuditEntry::seq).isSortedAccordingTo((a, b) -> Long.compare(b, a));
		assertThat(SystemActor.call(() -> this.audit.entries("operator2", "approval.", null, 10)))
			.extracting(AuditEntry::subject)
			.contains(subject);

		ChainCheck intact = SystemActor.call(() -> this.audit.verify());
		assertThat(intact.ok()).isTrue();
		assertThat(intact.firstBrokenSeq()).isNull();
		assertThat(intact.checked()).isGreaterThanOrEqualTo(entries.size());

		AuditEntry approval = entries.stream()
			.filter(entry -> entry.action().equals("approval.given") && entry.subject().equals(subject))
			.findFirst()
			.orElseThrow();
		this.store.sql("UPDATE audit_log SET details = 'approved by nobody' WHERE seq = ?")
			.param(approval.seq())
			.update();
		try {
			ChainCheck broken = SystemActor.call(() -> this.audit.verify());
			assertThat(broken.ok()).isFalse();
			assertThat(broken.firstBrokenSeq()).isEqualTo(approval.seq());
			this.mvc.perform(get("/api/v1/audit/verify").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD)))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.ok").value(false))
				.andExpect(jsonPath("$.firstBrokenSeq").value(approval.seq()));
			this.mvc.perform(get("/api/v1/audit/verify").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
				.andExpect(status().isForbidden());
			this.mvc
				.perform(get("/api/v1/audit").param("actor", "operator2")
					.param("action", "approval.")
					.param("limit", "1")
					.with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.items[0].actor").value("operator2"))
				.andExpect(jsonPath("$.items[0].hash").value(approval.hash()));
		}
		finally {
			this.store.sql("UPDATE audit_log SET details = ? WHERE seq = ?")
				.params(approval.details(), approval.seq())
				.update();
		}
		assertThat(SystemActor.call(() -> this.audit.verify()).ok()).as("as written again").isTrue();
	}

}
