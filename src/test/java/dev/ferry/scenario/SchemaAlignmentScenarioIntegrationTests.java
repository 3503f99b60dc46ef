package dev.ferry.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ferry.preflight.Measurement;
import dev.ferry.preflight.PreflightService;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.demo.internal.SchemaAlignmentDatabases;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.gate.SelfApprovalException;
import dev.ferry.gate.Verification;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.plan.SavedPlan;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
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
 * The schema-alignment sample plan end to end, as shipped in
 * {@code config/plans/schema-alignment.yaml}, on two embedded PostgreSQL databases
 * written by the demo's generator (the demo itself runs on H2): preflight, the sql
 * phase's dry run executed and rolled back, the schema gate failing with the differences
 * named, the apply refused until a second operator approved, the apply, the verify phase
 * passing with the data under the renamed columns kept, and the rollback restoring the
 * drifted schema and data exactly.
 */
@FerryAppTest
class SchemaAlignmentScenarioIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-schema-alignment");

	static final String PLAN = "schema-alignment";

	static final EmbeddedPostgres POSTGRES = start();

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
	ApprovalService approvals;

	@AfterAll
	static void stop() throws IOException {
		POSTGRES.close();
	}

	@Test
	void alignsTheDriftedSchemaAndRollsItBackExactly() throws Exception {
		String production = database("claims_prod");
		String canonical = database("claims_canonical");
		try (Connection prod = open(production); Connection reference = open(canonical)) {
			SchemaAlignmentDatabases.writeProduction(prod);
			SchemaAlignmentDatabases.writeCanonical(reference);
		}
		SystemActor.run(() -> {
			this.connections.update("claims-prod",
					new ConnectionCommand("claims-prod", production, "postgres", null, false));
			this.connections.update("claims-canonical",
					new ConnectionCommand("claims-canonical", canonical, "postgres", null, true));
		});
		byte[] shipped = Files.readAllBytes(Path.of("config/plans/schema-alignment.yaml"));
		SavedPlan saved = SystemActor.call(() -> this.plans.save(PLAN, shipped, PlanOrigin.API));
		assertThat(saved.warnings()).isEmpty();

		Fingerprint drifted = fingerprint(production);
		assertThat(drifted.tables()).containsExactly("claims", "evaluations", "reports", "schema_version");
		assertThat(drifted.indexes()).containsOnlyKeys("claims_pkey", "claims_status_idx", "evaluations_pkey",
				"evaluations_report_idx", "reports_pkey", "schema_version_pkey");
		Map<String, List<String>> before = data(production);

		// 1. preflight: counts, checksums, the baseline of the sample query
		RunView preflight = run("preflight", RunMode.DRY_RUN);
		List<Measurement> baseline = SystemActor.call(() -> this.preflights.measurements(preflight.id()));
		assertThat(baseline).extracting(m -> m.kind() + " " + m.subject() + " " + m.rows())
			.containsExactlyInAnyOrder("TABLE claims 240", "TABLE reports 60", "TABLE evaluations 180",
					"TABLE schema_version 1", "QUERY sample-unchanged 180");
		assertThat(baseline).allSatisfy(m -> assertThat(m.checksum()).isNotBlank());

		// 2. the sql phase's dry run on PostgreSQL: executed in a transaction rolled back
		RunView dryRun = run("align", RunMode.DRY_RUN);
		assertThat(dryRun.done()).isEqualTo(11);
		List<String> log = SystemActor.call(() -> this.runs.log(dryRun.id()))
			.stream()
			.map(RunLogLine::message)
			.toList();
		assertThat(log).anyMatch(line -> line.startsWith("Statement 1 of 11: ALTER TABLE claims RENAME COLUMN")
				&& line.endsWith("— 0 row(s)."));
		assertThat(log).anyMatch(line -> line.startsWith("Statement 11 of 11: UPDATE schema_version SET version = 7")
				&& line.endsWith("— 1 row(s)."));
		assertThat(log).contains("Rolled back: the dry run changed nothing on claims-prod.");
		assertThat(fingerprint(production)).isEqualTo(drifted);
		assertThat(data(production)).isEqualTo(before);
		assertThat(
				rows(production, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ferry_sql_runs'"))
			.as("a dry run keeps no ledger")
			.containsExactly("0");

		// 3. the gates: the align phase's passes; the verify phase's schema gate fails
		// with every difference named
		assertThat(evaluate("align")).extracting(GateResult::id, GateResult::state)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("at-version-6", GateResult.State.PASS));
		Map<String, GateResult> verify = evaluateById("verify");
		GateResult schema = verify.get("matches-canonical");
		assertThat(schema.state()).isEqualTo(GateResult.State.FAIL);
		assertThat(schema.value()).isEqualTo("11 difference(s)");
		assertThat(schema.detail()).isEqualTo("claims.claim_text: only on claims-prod; claims.claim: only on "
				+ "claims-canonical; claims.priority: only on claims-canonical; claims.channel: only on claims-canonical; "
				+ "reports.aggregation: only on claims-prod; reports.config_json: only on claims-canonical; "
				+ "reports.archived: only on claims-canonical; evaluations.diagnostics: only on claims-prod; "
				+ "evaluations.counts_by_template_json: only on claims-canonical; evaluations.template_set: only on "
				+ "claims-canonical; anonymous_usage: only on claims-canonical.");
		assertThat(verify.get("at-version-7").state()).isEqualTo(GateResult.State.FAIL);
		assertThat(verify.get("at-version-7").value()).isEqualTo("6");
		for (String kept : List.of("claims-kept", "reports-kept", "evaluations-kept", "sample-unchanged")) {
			assertThat(verify.get(kept).state()).as(kept).isEqualTo(GateResult.State.PASS);
		}

		// 4. the apply is refused without an approval; operator2 approves the dry run
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request(PLAN, "align", RunMode.APPLY)))
			.isInstanceOfSatisfying(RefusedException.class, ex -> assertThat(ex.getReasons())
				.containsExactly("Dry run #" + dryRun.id()
						+ " needs 1 operator approval(s) from someone other than ferry-system, who requested it; it has 0."));
		assertThat(fingerprint(production)).isEqualTo(drifted);
		assertThatThrownBy(() -> SystemActor.call(() -> this.approvals.approve(PLAN, "align", dryRun.id(), null)))
			.isInstanceOf(SelfApprovalException.class);
		Actors.approve(this.approvals, PLAN, "align", dryRun.id());

		// 5. the apply, checked in the database itself
		RunView apply = Await.finished(this.runs,
				SystemActor.call(() -> this.runs.request(PLAN, "align", RunMode.APPLY)));
		assertThat(apply.state()).isEqualTo(RunState.SUCCEEDED);
		assertThat(rows(production, "SELECT run_mode, run_id, plan, phase FROM ferry_sql_runs"))
			.as("Ferry's ledger row of the apply, committed with its statements")
			.containsExactly("apply|" + apply.id() + "|" + PLAN + "|align");
		Fingerprint aligned = fingerprint(production);
		assertThat(aligned.tables()).containsExactly("anonymous_usage", "claims", "evaluations", "reports",
				"schema_version");
		Fingerprint reference = fingerprint(canonical);
		assertThat(aligned.indexes()).isEqualTo(reference.indexes());
		assertThat(aligned.columns()).isEqualTo(reference.columns());
		assertThat(rows(production, "SELECT id, claim FROM claims ORDER BY id"))
			.isEqualTo(rows(before, "claims", 0, 1));
		assertThat(rows(production, "SELECT id, config_json FROM reports ORDER BY id"))
			.isEqualTo(rows(before, "reports", 0, 2));
		assertThat(rows(production, "SELECT id, counts_by_template_json FROM evaluations ORDER BY id"))
			.isEqualTo(rows(before, "evaluations", 0, 2));
		assertThat(rows(production, "SELECT count(*) FROM evaluations WHERE counts_by_template_json IS NULL"))
			.containsExactly(String.valueOf(SchemaAlignmentDatabases.EVALUATIONS_WITHOUT_DIAGNOSTICS));
		assertThat(rows(production, "SELECT priority, channel, count(*) FROM claims GROUP BY priority, channel"))
			.containsExactly("3|web|240");
		assertThat(rows(production, "SELECT archived, count(*) FROM reports GROUP BY archived"))
			.containsExactly("f|60");
		assertThat(rows(production, "SELECT template_set, count(*) FROM evaluations GROUP BY template_set"))
			.containsExactly("default|180");
		assertThat(rows(production, "SELECT version, description FROM schema_version"))
			.containsExactly("7|claims schema v7");
		assertThat(rows(production, "SELECT count(*) FROM anonymous_usage")).containsExactly("0");

		// 6. the verify phase ran after the apply and passed; its gates pass now
		Await.until(() -> SystemActor.call(() -> this.gates.verification(PLAN, "verify"))
			.filter(v -> v.afterApply() == apply.id())
			.isPresent(), "the verification after apply #" + apply.id());
		Verification verdict = SystemActor.call(() -> this.gates.verification(PLAN, "verify")).orElseThrow();
		assertThat(verdict.passed()).as(verdict.detail()).isTrue();
		verify = evaluateById("verify");
		assertThat(verify.values()).allSatisfy(
				gate -> assertThat(gate.state()).as(gate.id() + " " + gate.detail()).isEqualTo(GateResult.State.PASS));
		assertThat(verify.get("matches-canonical").value()).isEqualTo("no differences");
		assertThat(verify.get("at-version-7").value()).isEqualTo("7");

		// 7. rollback: the drifted schema and the data exactly as before, the preflight's
		// checksums the first ones
		RunView rollback = Await.finished(this.runs, SystemActor.call(() -> this.runs.rollback(apply.id())));
		assertThat(rollback.state()).isEqualTo(RunState.SUCCEEDED);
		assertThat(SystemActor.call(() -> this.runs.get(apply.id())).state()).isEqualTo(RunState.ROLLED_BACK);
		assertThat(fingerprint(production)).isEqualTo(drifted);
		assertThat(data(production)).isEqualTo(before);
		assertThat(rows(production, "SELECT run_mode, run_id FROM ferry_sql_runs ORDER BY run_id"))
			.containsExactly("apply|" + apply.id(), "rollback|" + rollback.id());
		RunView again = run("preflight", RunMode.DRY_RUN);
		assertThat(SystemActor.call(() -> this.preflights.measurements(again.id())))
			.extracting(m -> m.kind() + " " + m.subject() + " " + m.rows() + " " + m.checksum())
			.containsExactlyInAnyOrderElementsOf(baseline.stream()
				.map(m -> m.kind() + " " + m.subject() + " " + m.rows() + " " + m.checksum())
				.toList());
		assertThat(evaluateById("verify").get("matches-canonical").state()).isEqualTo(GateResult.State.FAIL);
	}

	// --- Ferry ---------------------------------------------------------------------

	private RunView run(String phase, RunMode mode) {
		RunView run = Await.finished(this.runs, SystemActor.call(() -> this.runs.request(PLAN, phase, mode)));
		assertThat(run.state()).as(phase + " " + mode + ": " + run.error()).isEqualTo(RunState.SUCCEEDED);
		return run;
	}

	private List<GateResult> evaluate(String phase) {
		return SystemActor.call(() -> this.gates.evaluate(PLAN, phase));
	}

	private Map<String, GateResult> evaluateById(String phase) {
		Map<String, GateResult> results = new TreeMap<>();
		evaluate(phase).forEach(gate -> results.put(gate.id(), gate));
		return results;
	}

	// --- the databases, read with plain JDBC ----------------------------------------

	/**
	 * The schema of a database as PostgreSQL's catalogue describes it: the tables, every
	 * column with its ordinal position, type, nullability and default, and every index
	 * with its definition. Ferry's own ledger of sql runs ({@code ferry_sql_runs},
	 * created by the apply and kept) is left out: the test reads it on its own.
	 */
	record Fingerprint(List<String> tables, Map<String, String> columns, Map<String, String> indexes) {
	}

	private static Fingerprint fingerprint(String url) throws SQLException {
		try (Connection connection = open(url)) {
			List<String> tables = rows(connection, "SELECT table_name FROM information_schema.tables "
					+ "WHERE table_schema = 'public' AND table_name <> 'ferry_sql_runs' ORDER BY table_name");
			Map<String, String> columns = new TreeMap<>();
			for (String row : rows(connection,
					"SELECT table_name || '.' || column_name, ordinal_position, data_type, "
							+ "character_maximum_length, numeric_precision, numeric_scale, is_nullable, column_default "
							+ "FROM information_schema.columns WHERE table_schema = 'public' "
							+ "AND table_name <> 'ferry_sql_runs'")) {
				columns.put(row.substring(0, row.indexOf('|')), row.substring(row.indexOf('|') + 1));
			}
			Map<String, String> indexes = new TreeMap<>();
			for (String row : rows(connection,
					"SELECT indexname, tablename || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'public' "
							+ "AND tablename <> 'ferry_sql_runs'")) {
				indexes.put(row.substring(0, row.indexOf('|')), row.substring(row.indexOf('|') + 1));
			}
			return new Fingerprint(tables, columns, indexes);
		}
	}

	/** Every row of every table, all columns, in key order. */
	private static Map<String, List<String>> data(String url) throws SQLException {
		Map<String, List<String>> data = new TreeMap<>();
		try (Connection connection = open(url)) {
			for (String table : rows(connection, "SELECT table_name FROM information_schema.tables "
					+ "WHERE table_schema = 'public' AND table_name <> 'ferry_sql_runs' ORDER BY table_name")) {
				data.put(table, rows(connection, "SELECT * FROM " + table + " ORDER BY id"));
			}
		}
		return data;
	}

	private static List<String> rows(Map<String, List<String>> data, String table, int... columns) {
		List<String> picked = new ArrayList<>();
		for (String row : data.get(table)) {
			String[] values = row.split("\\|", -1);
			List<String> kept = new ArrayList<>();
			for (int column : columns) {
				kept.add(values[column]);
			}
			picked.add(String.join("|", kept));
		}
		return picked;
	}

	private static List<String> rows(String url, String sql) throws SQLException {
		try (Connection connection = open(url)) {
			return rows(connection, sql);
		}
	}

	private static List<String> rows(Connection connection, String sql) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
			ResultSetMetaData meta = rs.getMetaData();
			while (rs.next()) {
				List<String> values = new ArrayList<>();
				for (int i = 1; i <= meta.getColumnCount(); i++) {
					values.add(String.valueOf(rs.getString(i)));
				}
				rows.add(String.join("|", values));
			}
		}
		return rows;
	}

	private static String database(String name) throws SQLException {
		try (Connection connection = POSTGRES.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		return POSTGRES.getJdbcUrl("postgres", name);
	}

	private static Connection open(String url) throws SQLException {
		return DriverManager.getConnection(url, "postgres", "");
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
