package dev.ferry.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.demo.internal.LegacyIdentitiesDataset;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.gate.Verification;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.DecisionCommand;
import dev.ferry.mapping.MappingItem;
import dev.ferry.mapping.MappingService;
import dev.ferry.mapping.MatchStatus;
import dev.ferry.mapping.Queue;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.SavedPlan;
import dev.ferry.plan.spec.PlanCheck;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.Measurement;
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
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shipped {@code config/plans/legacy-identities.yaml} end to end on PostgreSQL (the
 * demo runs it on H2): the legacy directory and the identity system are two databases of
 * one embedded server, filled by the demo's own generator. Preflight, dry runs with the
 * planted figures, the coverage and open-items gates failing until a reviewer decided the
 * conflicts and the rest, the apply refused until then and approved by a second operator,
 * an apply through a login without write privilege failing with the database's words and
 * writing nothing, the apply through the writer, a re-run that changes nothing, the
 * verify gates, and the rollback of every apply, newest first, to the checksums of the
 * first preflight.
 */
@FerryAppTest
class LegacyIdentitiesScenarioIntegrationTests {

	static final String PLAN = "legacy-identities";

	static final Path DATA = Workspaces.temporaryFolder("ferry-legacy-identities");

	static final EmbeddedPostgres POSTGRES = start();

	/** The login with only CONNECT, USAGE and SELECT on the identity database. */
	static final String READER = "identity_reader";

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
	ApprovalService approvals;

	@Autowired
	GateService gates;

	@Autowired
	MappingService mappings;

	@AfterAll
	static void stop() throws IOException {
		POSTGRES.close();
	}

	@Test
	void legacyUsersAreMappedToSubjectsOnceAndTheMapIsRolledBack() throws Exception {
		databases();
		pointThePlanAtPostgres();
		Map<String, String> subjectsBefore = rows("identity",
				"SELECT subject_id, email || '|' || display_name " + "FROM subjects");
		Map<String, String> usersBefore = rows("legacy_directory",
				"SELECT CAST(id AS VARCHAR(10)), login || '|' || COALESCE(email, '<null>') || '|' || display_name FROM users");
		assertThat(subjectsBefore).hasSize(LegacyIdentitiesDataset.SUBJECTS);
		assertThat(usersBefore).hasSize(LegacyIdentitiesDataset.USERS);

		// 1. preflight: counts, checksums and the baseline of subjects-intact
		RunView preflight = run("preflight", RunMode.DRY_RUN);
		List<Measurement> first = SystemActor.call(() -> this.runs.measurements(preflight.id()));
		System.out.println("MEASUREMENTS " + first);
		assertThat(first).filteredOn(m -> m.kind() == Measurement.Kind.TABLE)
			.extracting(Measurement::subject, Measurement::rows)
			.contains(org.assertj.core.groups.Tuple.tuple("source.users", 296L),
					org.assertj.core.groups.Tuple.tuple("target.subjects", 300L));

		// 2. dry runs: the schema phase, then the mapping with the planted figures
		assertThat(run("schema", RunMode.DRY_RUN).state()).isEqualTo(RunState.SUCCEEDED);
		RunView dryRun = run("map", RunMode.DRY_RUN);
		Coverage computed = coverage();
		assertThat(computed.auto()).isEqualTo(280);
		assertThat(computed.conflict()).isEqualTo(6);
		assertThat(computed.ambiguous()).isEqualTo(4);
		assertThat(computed.unresolved()).isEqualTo(6);
		assertThat(items(Queue.CONFLICT)).extracting(MappingItem::oldKey, MappingItem::bestNewKey)
			.containsExactly(tuple("281", subject(281)), tuple("282", subject(281)), tuple("283", subject(282)),
					tuple("284", subject(282)), tuple("285", subject(283)), tuple("286", subject(283)));

		// 3. the gates: coverage 280 / 296 and 16 open items fail
		Map<String, GateResult> before = evaluate("map");
		System.out.println("GATES BEFORE " + before);
		assertThat(before.get("coverage").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(before.get("none-open").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(before.get("subjects-intact").state()).isEqualTo(GateResult.State.PASS);

		// 4. the apply is refused while they fail
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request(PLAN, "map", RunMode.APPLY)))
			.isInstanceOf(RefusedException.class)
			.satisfies(ex -> System.out.println("REFUSED " + ((RefusedException) ex).getReasons()));

		// the reviewer: of each pair, the first account is the person, the second a
		// duplicate; of two equal subjects the first; the rest have no subject
		for (int pair = 0; pair < 3; pair++) {
			decide(String.valueOf(281 + 2 * pair), MatchStatus.MANUAL, subject(281 + pair), null);
			decide(String.valueOf(282 + 2 * pair), MatchStatus.EXCLUDED, null,
					"duplicate legacy account of user " + (281 + 2 * pair));
		}
		for (MappingItem item : items(Queue.AMBIGUOUS)) {
			decide(item.oldKey(), MatchStatus.MANUAL, item.bestNewKey(), null);
		}
		for (MappingItem item : items(Queue.UNRESOLVED)) {
			decide(item.oldKey(), MatchStatus.EXCLUDED, null, "no account in the new system");
		}
		Coverage decided = coverage();
		assertThat(decided.open()).isZero();
		assertThat(decided.manual()).isEqualTo(7);
		assertThat(decided.excluded()).isEqualTo(9);
		Map<String, GateResult> after = evaluate("map");
		System.out.println("GATES AFTER " + after);
		assertThat(after.values()).allSatisfy(gate -> assertThat(gate.state()).isEqualTo(GateResult.State.PASS));
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request(PLAN, "map", RunMode.APPLY)))
			.isInstanceOf(RefusedException.class)
			.satisfies(ex -> System.out.println("REFUSED2 " + ((RefusedException) ex).getReasons()));

		// 5. the schema, approved by operator2
		RunView schema = apply("schema");
		assertThat(schema.state()).as(String.valueOf(schema.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(map()).isEmpty();
		List<String> ferryTables = ferryTables();
		System.out.println("FERRY TABLES " + ferryTables);

		// the identity login that may only read: the apply fails in the database's words
		// and writes nothing
		identityAs(READER, "reader-password");
		RunView denied = apply("map");
		System.out.println("DENIED " + denied.state() + " " + denied.error());
		assertThat(denied.state()).isEqualTo(RunState.FAILED);
		assertThat(denied.error()).contains("permission denied").doesNotContain("\tat ");
		assertThat(map()).isEmpty();
		assertThat(ferryTables()).isEqualTo(ferryTables);

		// the writer again
		identityAs("postgres", "");
		RunView applied = apply("map");
		assertThat(applied.state()).as(String.valueOf(applied.error())).isEqualTo(RunState.SUCCEEDED);
		System.out.println("APPLIED " + applied.counts());
		assertThat(applied.counts().inserted()).isEqualTo(287);
		Map<String, String> map = map();
		assertThat(map).hasSize(287);
		for (int id = 1; id <= 280; id++) {
			assertThat(map.get(String.valueOf(id))).isEqualTo(subject(id) + " auto 1.0000");
		}
		assertThat(map).containsEntry("281", subject(281) + " manual 1.0000")
			.containsEntry("283", subject(282) + " manual 1.0000")
			.containsEntry("285", subject(283) + " manual 1.0000")
			.doesNotContainKeys("282", "284", "286", "291", "292", "293", "294", "295", "296");
		for (int id = 287; id <= 290; id++) {
			assertThat(map.get(String.valueOf(id))).isIn(
					LegacyIdentitiesDataset.subjectId(id - 3, 0) + " manual 1.0000",
					LegacyIdentitiesDataset.subjectId(id - 3, 1) + " manual 1.0000");
		}
		assertThat(rows("identity", "SELECT subject_id, CAST(count(*) AS VARCHAR(10)) FROM legacy_user_map "
				+ "GROUP BY subject_id HAVING count(*) > 1"))
			.isEmpty();
		Verification verdict = verified(applied);
		System.out.println("VERDICT " + verdict);
		assertThat(verdict.passed()).isTrue();

		// a re-run: the dry run finds the same, the second apply writes nothing
		run("map", RunMode.DRY_RUN);
		assertThat(coverage()).satisfies(c -> {
			assertThat(c.auto()).isEqualTo(280);
			assertThat(c.manual()).isEqualTo(7);
			assertThat(c.excluded()).isEqualTo(9);
			assertThat(c.open()).isZero();
		});
		RunView again = apply("map");
		System.out.println("AGAIN " + again.state() + " " + again.counts() + " " + again.error());
		assertThat(map()).isEqualTo(map);

		// 6. the verify gates
		Map<String, GateResult> verify = evaluate("verify");
		System.out.println("VERIFY " + verify);
		assertThat(verify.values()).allSatisfy(gate -> assertThat(gate.state()).isEqualTo(GateResult.State.PASS));

		// 7. rollback, newest first
		List<RunView> rollbacks = new ArrayList<>();
		for (RunView apply : List.of(again, applied, schema)) {
			if (apply.state() == RunState.SUCCEEDED) {
				RunView rollback = Await.finished(this.runs, SystemActor.call(() -> this.runs.rollback(apply.id())));
				assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
				rollbacks.add(rollback);
			}
		}
		assertThat(tableExists("legacy_user_map")).isFalse();
		RunView last = run("preflight", RunMode.DRY_RUN);
		List<Measurement> end = SystemActor.call(() -> this.runs.measurements(last.id()));
		assertThat(end).extracting(Measurement::subject, Measurement::rows, Measurement::checksum)
			.isEqualTo(first.stream().map(m -> tuple(m.subject(), m.rows(), m.checksum())).toList());
		assertThat(rows("identity", "SELECT subject_id, email || '|' || display_name FROM subjects"))
			.isEqualTo(subjectsBefore);
		assertThat(
				rows("legacy_directory",
						"SELECT CAST(id AS VARCHAR(10)), login || '|' || "
								+ "COALESCE(email, '<null>') || '|' || display_name FROM users"))
			.isEqualTo(usersBefore);
	}

	private static org.assertj.core.groups.Tuple tuple(Object... values) {
		return org.assertj.core.groups.Tuple.tuple(values);
	}

	private static String subject(int person) {
		return LegacyIdentitiesDataset.subjectId(person, 0);
	}

	/**
	 * Two databases on the server, filled by the demo's generator; in the identity
	 * database only its owner may create tables, and the reader may only read.
	 */
	private static void databases() throws SQLException {
		try (Connection c = POSTGRES.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE legacy_directory");
			s.execute("CREATE DATABASE identity");
			s.execute("CREATE ROLE " + READER + " LOGIN PASSWORD 'reader-password'");
		}
		try (Connection c = open("legacy_directory")) {
			LegacyIdentitiesDataset.writeLegacy(c);
		}
		try (Connection c = open("identity"); Statement s = c.createStatement()) {
			LegacyIdentitiesDataset.writeIdentity(c);
			// PostgreSQL 14 lets every role create tables in public; a locked-down
			// production database does not
			s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
			s.execute("GRANT CONNECT ON DATABASE identity TO " + READER);
			s.execute("GRANT USAGE ON SCHEMA public TO " + READER);
			s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + READER);
			s.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO " + READER);
		}
	}

	/**
	 * Points the demo's two connections at PostgreSQL and checks the shipped plan against
	 * its catalogue: no error, no warning.
	 */
	private void pointThePlanAtPostgres() throws IOException {
		SystemActor.run(() -> {
			this.connections.update("legacy-directory", new ConnectionCommand("legacy-directory",
					POSTGRES.getJdbcUrl("postgres", "legacy_directory"), "postgres", "", true));
			this.connections.update("identity", new ConnectionCommand("identity",
					POSTGRES.getJdbcUrl("postgres", "identity"), "postgres", "", false));
		});
		byte[] shipped = Files.readAllBytes(Path.of("config/plans/legacy-identities.yaml"));
		PlanCheck check = SystemActor.call(() -> this.plans.check(shipped));
		assertThat(check.errors()).isEmpty();
		assertThat(check.warnings()).isEmpty();
		SavedPlan saved = SystemActor.call(() -> this.plans.save(PLAN, shipped, PlanOrigin.API));
		System.out.println("SAVED " + saved);
		assertThat(saved.warnings()).isEmpty();
	}

	private void identityAs(String user, String password) {
		SystemActor.run(() -> this.connections.update("identity",
				new ConnectionCommand("identity", POSTGRES.getJdbcUrl(user, "identity"), user, password, false)));
	}

	private RunView run(String phase, RunMode mode) {
		RunView run = Await.finished(this.runs, SystemActor.call(() -> this.runs.request(PLAN, phase, mode)));
		assertThat(run.state()).as(phase + ": " + run.error()).isEqualTo(RunState.SUCCEEDED);
		return run;
	}

	private RunView apply(String phase) {
		return Await.finished(this.runs, Actors.requestApply(this.runs, this.approvals, PLAN, phase));
	}

	private Verification verified(RunView apply) {
		Await.until(() -> SystemActor.call(() -> this.gates.verification(PLAN, "verify"))
			.filter(v -> v.afterApply() == apply.id())
			.isPresent(), "the verify phase after apply #" + apply.id());
		return SystemActor.call(() -> this.gates.verification(PLAN, "verify")).orElseThrow();
	}

	private Coverage coverage() {
		return SystemActor.call(() -> this.mappings.coverage(PLAN, "map")).orElseThrow();
	}

	private List<MappingItem> items(Queue queue) {
		return SystemActor.call(() -> this.mappings.items(PLAN, "map", queue, null, null, 50)).items();
	}

	private void decide(String oldKey, MatchStatus status, String newKey, String reason) {
		Actors.as("reviewer", Role.REVIEWER, () -> {
			MappingItem item = this.mappings.item(PLAN, "map", oldKey);
			return this.mappings.decide(PLAN, "map", oldKey,
					new DecisionCommand(status, newKey, reason, item.version()));
		});
	}

	private Map<String, GateResult> evaluate(String phase) {
		Map<String, GateResult> results = new TreeMap<>();
		for (GateResult result : Actors.as("operator", Role.OPERATOR, () -> this.gates.evaluate(PLAN, phase))) {
			results.put(result.id(), result);
		}
		return results;
	}

	/** The map as the test reads it: legacy id → "subject status confidence". */
	private static Map<String, String> map() throws SQLException {
		return rows("identity", "SELECT CAST(legacy_id AS VARCHAR(10)), subject_id || ' ' || status || ' ' || "
				+ "CAST(confidence AS VARCHAR(10)) FROM legacy_user_map");
	}

	/** The tables Ferry keeps in the identity database, with their rows. */
	private static List<String> ferryTables() throws SQLException {
		List<String> tables = new ArrayList<>();
		try (Connection c = open("identity");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables "
						+ "WHERE table_schema = 'public' AND table_name LIKE 'ferry%' ORDER BY table_name")) {
			while (rs.next()) {
				tables.add(rs.getString(1));
			}
		}
		List<String> counted = new ArrayList<>();
		for (String table : tables) {
			counted.add(table + " " + rows("identity", "SELECT 'rows', CAST(count(*) AS VARCHAR(20)) FROM " + table));
		}
		return counted;
	}

	private static boolean tableExists(String table) throws SQLException {
		try (Connection c = open("identity");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables "
						+ "WHERE table_schema = 'public' AND table_name = '" + table + "'")) {
			rs.next();
			return rs.getInt(1) > 0;
		}
	}

	private static Map<String, String> rows(String database, String query) throws SQLException {
		Map<String, String> rows = new TreeMap<>();
		try (Connection c = open(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
			while (rs.next()) {
				rows.put(rs.getString(1), rs.getString(2));
			}
		}
		return rows;
	}

	private static Connection open(String database) throws SQLException {
		return DriverManager.getConnection(POSTGRES.getJdbcUrl("postgres", database), "postgres", "");
	}

	private static EmbeddedPostgres start() {
		try {
			return EmbeddedPostgres.builder().start();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException("Could not start embedded PostgreSQL", ex);
		}
	}

}
