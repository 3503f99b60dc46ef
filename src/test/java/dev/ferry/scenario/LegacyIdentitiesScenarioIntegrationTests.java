package dev.ferry.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.ferry.preflight.Measurement;
import dev.ferry.preflight.PreflightService;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.demo.internal.LegacyIdentitiesDataset;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Queue;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.SavedPlan;
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
import dev.ferry.support.Workspaces;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shipped plan {@code legacy-identities} end to end on embedded PostgreSQL (the demo
 * runs it on H2 files): two databases of one server filled by the demo's generator, the
 * plan's connections pointed at them and the plan saved again against their catalogue;
 * then preflight, the dry runs, the gates failing on the duplicate accounts and passing
 * after review, approval by a second operator, an apply as a login without write
 * privilege that fails and writes nothing, the apply, a re-run that changes nothing,
 * verify, and every apply rolled back to the preflight's checksums.
 */
@FerryAppTest
class LegacyIdentitiesScenarioIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-legacy-identities");

	static final String PLAN = "legacy-identities";

	static final String READER = "identity_reader";

	static final String READER_PASSWORD = "reader-password";

	static EmbeddedPostgres postgres;

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	PreflightService preflights;

	@Autowired
	GateService gates;

	@Autowired
	MappingService mappings;

	@Autowired
	ApprovalService approvals;

	@BeforeAll
	static void databases() throws Exception {
		postgres = EmbeddedPostgres.builder().start();
		try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE legacy_directory");
			s.execute("CREATE DATABASE identity");
			s.execute("CREATE ROLE " + READER + " LOGIN PASSWORD '" + READER_PASSWORD + "'");
		}
		try (Connection c = open("legacy_directory", "postgres", "")) {
			LegacyIdentitiesDataset.writeDirectory(c);
		}
		try (Connection c = open("identity", "postgres", "")) {
			LegacyIdentitiesDataset.writeIdentity(c);
			try (Statement s = c.createStatement()) {
				// a login that may read the target, and nothing else (PostgreSQL before
				// 15
				// lets everyone create tables in public)
				s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
				s.execute("GRANT CONNECT ON DATABASE identity TO " + READER);
				s.execute("GRANT USAGE ON SCHEMA public TO " + READER);
				s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + READER);
				s.execute("ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT ON TABLES TO "
						+ READER);
			}
		}
	}

	@AfterAll
	static void stop() throws IOException {
		postgres.close();
	}

	@Test
	void duplicateAccountsAreDecidedAndAReaderLoginWritesNothing() throws Exception {
		// the demo registered the connections on its H2 files; point them at PostgreSQL
		SystemActor.run(() -> {
			this.connections.update("legacy-directory",
					new ConnectionCommand("legacy-directory", url("legacy_directory"), "postgres", "", true));
			this.connections.update("identity",
					new ConnectionCommand("identity", url("identity"), "postgres", "", false));
		});
		byte[] yaml = Files.readAllBytes(Path.of("config/plans/" + PLAN + ".yaml"));
		SavedPlan saved = SystemActor.call(() -> this.plans.save(null, yaml, PlanOrigin.API));
		assertThat(saved.warnings()).as("checked against the PostgreSQL catalogue").isEmpty();

		// 1. preflight
		RunView preflight = run("preflight", RunMode.DRY_RUN);
		Map<String, Measurement> before = measurements(preflight);
		assertThat(before.get("source.users").rows()).isEqualTo(300);
		assertThat(before.get("target.subjects").rows()).isEqualTo(300);
		List<String> subjectsBefore = rows("SELECT subject_id, email, full_name, department FROM subjects ORDER BY 1");
		assertThat(subjectsBefore).hasSize(300);
		assertThat(tableExists("legacy_user_map")).isFalse();

		// 2. schema: a dry run, approval by operator2, apply
		run("schema", RunMode.DRY_RUN);
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request(PLAN, "schema", RunMode.APPLY)))
			.isInstanceOf(RefusedException.class)
			.satisfies(ex -> assertThat(((RefusedException) ex).getReasons()).anyMatch(r -> r.contains("approval")));
		RunView schema = apply("schema");
		assertThat(schema.state()).as(schema.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(tableExists("legacy_user_map")).isTrue();

		// 3. the mapping's dry run: the figures planted
		RunView mapDry = run("map", RunMode.DRY_RUN);
		Coverage coverage = coverage();
		assertThat(coverage.auto()).isEqualTo(274);
		assertThat(coverage.conflict()).isEqualTo(8);
		assertThat(coverage.ambiguous()).isEqualTo(6);
		assertThat(coverage.unresolved()).isEqualTo(12);
		List<MappingItem> conflicts = items(Queue.CONFLICT);
		assertThat(conflicts).extracting(MappingItem::oldKey)
			.containsExactlyInAnyOrder("7", "297", "57", "298", "107", "299", "157", "300");
		for (int i = 0; i < 4; i++) {
			int person = new int[] { 7, 57, 107, 157 }[i];
			String subject = LegacyIdentitiesDataset.subjectId(person);
			assertThat(conflicts).filteredOn(item -> item.bestNewKey().equals(subject))
				.extracting(MappingItem::oldKey)
				.containsExactlyInAnyOrder(String.valueOf(person), String.valueOf(297 + i));
		}

		// the gates fail while the conflicts and the others are open
		Map<String, GateResult> open = gates("map");
		assertThat(open.get("none-open").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(open.get("none-open").value()).isEqualTo("26 open (6 ambiguous, 12 unresolved, 8 conflict)");
		assertThat(open.get("coverage").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(open.get("coverage").value()).isEqualTo("91.33% (274 of 300 mapped)");
		assertThat(open.get("subjects-intact").state()).isEqualTo(GateResult.State.PASS);

		// the apply stays locked by the open items, and operator2 may not approve yet
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request(PLAN, "map", RunMode.APPLY)))
			.isInstanceOf(RefusedException.class)
			.satisfies(ex -> assertThat(((RefusedException) ex).getReasons())
				.containsExactly("Gate coverage fails: 91.33% (274 of 300 mapped), needs at least 95%.",
						"Gate none-open fails: 26 open (6 ambiguous, 12 unresolved, 8 conflict), needs at most 0 open.",
						"Dry run #" + mapDry.id()
								+ " needs 1 operator approval(s) from someone other than ferry-system, "
								+ "who requested it; it has 0."));
		assertThatThrownBy(() -> Actors.approve(this.approvals, PLAN, "map", mapDry.id()))
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining("cannot be approved while its gates fail")
			.hasMessageContaining("26 open (6 ambiguous, 12 unresolved, 8 conflict)");

		// the reviewer decides: the first account of each pair keeps the subject, the
		// duplicate is excluded; ambiguous ones picked, unresolved ones excluded
		for (int i = 0; i < 4; i++) {
			int person = new int[] { 7, 57, 107, 157 }[i];
			decide(String.valueOf(person), MatchStatus.MANUAL, LegacyIdentitiesDataset.subjectId(person), null);
			decide(String.valueOf(297 + i), MatchStatus.EXCLUDED, null, "duplicate account of " + person);
		}
		for (MappingItem item : items(Queue.AMBIGUOUS)) {
			decide(item.oldKey(), MatchStatus.MANUAL, item.bestNewKey(), null);
		}
		for (MappingItem item : items(Queue.UNRESOLVED)) {
			decide(item.oldKey(), MatchStatus.EXCLUDED, null, "left before the migration");
		}
		Coverage decided = coverage();
		assertThat(decided.open()).isZero();
		assertThat(decided.manual()).isEqualTo(10);
		assertThat(decided.excluded()).isEqualTo(16);
		Map<String, GateResult> passing = gates("map");
		assertThat(passing.values()).allSatisfy(g -> assertThat(g.state()).isEqualTo(GateResult.State.PASS));

		// 4. a login that may only read the target: the apply fails in words, writes
		// nothing
		SystemActor.run(() -> this.connections.update("identity",
				new ConnectionCommand("identity", url("identity"), READER, READER_PASSWORD, false)));
		RunView denied = apply("map");
		assertThat(denied.state()).isEqualTo(RunState.FAILED);
		assertThat(denied.error()).startsWith("ERROR: permission denied for schema public")
			.contains("permission denied")
			.doesNotContain("Exception")
			.doesNotContain("\tat ");
		assertThat(count("SELECT count(*) FROM legacy_user_map")).isZero();
		assertThat(tableExists("ferry_applies")).isFalse();
		assertThat(tableExists("ferry_apply_batches")).isFalse();

		// 5. back to the writer login: the apply writes the map
		SystemActor.run(() -> this.connections.update("identity",
				new ConnectionCommand("identity", url("identity"), "postgres", "", false)));
		RunView mapApply = apply("map");
		assertThat(mapApply.state()).as(mapApply.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(mapApply.counts().inserted()).isEqualTo(284);
		Map<String, String> map = map();
		assertThat(map).hasSize(284);
		assertThat(map.values().stream().collect(Collectors.groupingBy(v -> v.split(" ")[1], Collectors.counting())))
			.isEqualTo(Map.of("auto", 274L, "manual", 10L));
		assertThat(map.get("7")).isEqualTo(LegacyIdentitiesDataset.subjectId(7) + " manual 1.0000");
		assertThat(map).doesNotContainKeys("297", "298", "299", "300", "24", "96", "192");
		assertThat(map.values().stream().map(v -> v.split(" ")[0]).distinct().count()).isEqualTo(284);
		assertThat(map.get("1")).isEqualTo(LegacyIdentitiesDataset.subjectId(1) + " auto 1.0000");

		// 6. verify
		Map<String, GateResult> verify = gates("verify");
		assertThat(verify.keySet()).containsExactlyInAnyOrder("one-user-per-subject", "subjects-intact");
		assertThat(verify.values()).allSatisfy(g -> assertThat(g.state()).isEqualTo(GateResult.State.PASS));

		// a re-run is refused while the map's apply stands: an approval authorizes one
		// apply
		String stands = "Apply #" + mapApply.id() + " of phase map stands";
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request(PLAN, "map", RunMode.DRY_RUN)))
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining(stands);
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request(PLAN, "map", RunMode.APPLY)))
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining(stands);
		assertThat(map()).isEqualTo(map);

		// 7. rollback, newest first, to the pre-apply checksums
		for (RunView applied : List.of(mapApply, schema)) {
			RunView rollback = Await.finished(this.runs, SystemActor.call(() -> this.runs.rollback(applied.id())));
			assertThat(rollback.state()).as(rollback.error()).isEqualTo(RunState.SUCCEEDED);
		}
		assertThat(tableExists("legacy_user_map")).isFalse();
		Map<String, Measurement> after = measurements(run("preflight", RunMode.DRY_RUN));
		assertThat(after.get("target.subjects").checksum()).isEqualTo(before.get("target.subjects").checksum());
		assertThat(after.get("source.users").checksum()).isEqualTo(before.get("source.users").checksum());
		assertThat(rows("SELECT subject_id, email, full_name, department FROM subjects ORDER BY 1"))
			.isEqualTo(subjectsBefore);
	}

	private RunView run(String phase, RunMode mode) {
		RunView done = Await.finished(this.runs, SystemActor.call(() -> this.runs.request(PLAN, phase, mode)));
		assertThat(done.state()).as(done.error()).isEqualTo(RunState.SUCCEEDED);
		return done;
	}

	private RunView apply(String phase) {
		return Await.finished(this.runs, Actors.requestApply(this.runs, this.approvals, PLAN, phase));
	}

	private Map<String, Measurement> measurements(RunView run) {
		Map<String, Measurement> byTable = new TreeMap<>();
		for (Measurement m : SystemActor.call(() -> this.preflights.measurements(run.id()))) {
			if (m.kind() == Measurement.Kind.TABLE) {
				byTable.put(m.subject(), m);
			}
		}
		return byTable;
	}

	private Coverage coverage() {
		return SystemActor.call(() -> this.mappings.coverage(PLAN, "map")).orElseThrow();
	}

	private List<MappingItem> items(Queue queue) {
		return SystemActor.call(() -> this.mappings.items(PLAN, "map", queue, null, null, 100)).items();
	}

	private Map<String, GateResult> gates(String phase) {
		Map<String, GateResult> byId = new TreeMap<>();
		for (GateResult gate : SystemActor.call(() -> this.gates.evaluate(PLAN, phase))) {
			byId.put(gate.id(), gate);
		}
		return byId;
	}

	private void decide(String oldKey, MatchStatus status, String newKey, String reason) {
		MappingItem item = SystemActor.call(() -> this.mappings.item(PLAN, "map", oldKey));
		Actors.as("reviewer", Role.REVIEWER, () -> this.mappings.decide(PLAN, "map", oldKey,
				new DecisionCommand(status, newKey, reason, item.version())));
	}

	/** The map as the test reads it: legacy id → "subject status confidence". */
	private Map<String, String> map() throws Exception {
		Map<String, String> rows = new TreeMap<>();
		try (Connection c = open("identity", "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s
					.executeQuery("SELECT legacy_id, subject_id, status, confidence FROM legacy_user_map")) {
			while (rs.next()) {
				rows.put(String.valueOf(rs.getInt(1)),
						rs.getString(2) + " " + rs.getString(3) + " " + rs.getBigDecimal(4));
			}
		}
		return rows;
	}

	private List<String> rows(String query) throws Exception {
		List<String> rows = new ArrayList<>();
		try (Connection c = open("identity", "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(query)) {
			int columns = rs.getMetaData().getColumnCount();
			while (rs.next()) {
				StringBuilder row = new StringBuilder();
				for (int i = 1; i <= columns; i++) {
					row.append(rs.getString(i)).append('|');
				}
				rows.add(row.toString());
			}
		}
		return rows;
	}

	private long count(String query) throws Exception {
		try (Connection c = open("identity", "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(query)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private boolean tableExists(String table) throws Exception {
		return count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '"
				+ table + "'") > 0;
	}

	private static String url(String database) {
		// without the user= parameter getJdbcUrl adds: it would override the login
		return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
	}

	private static Connection open(String database, String user, String password) throws Exception {
		return DriverManager.getConnection(url(database), user, password);
	}

}
