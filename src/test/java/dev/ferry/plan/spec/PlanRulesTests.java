package dev.ferry.plan.spec;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ferry.plan.spec.GateSpec.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules of the format beyond the single-error fixtures: defaults, resolution, catalogue.
 */
class PlanRulesTests {

	private static final String HEAD = "plan: rules\nsource: cultivars\ntarget: app\n";

	private static final String SCHEMA = "  - id: schema\n    kind: sql\n"
			+ "    apply: CREATE TABLE IF NOT EXISTS \"Fresh\" (id INTEGER)\n    rollback: DROP TABLE Fresh\n";

	private static final String PREFLIGHT_FRESH = "  - id: preflight\n    kind: preflight\n    count: [Fresh]\n";

	static PlanCheck read(String yaml) {
		return PlanReader.read(yaml.getBytes(StandardCharsets.UTF_8), FakePlanEnvironment.ahs());
	}

	@Test
	void aTableCreatedByAnEarlierSqlPhaseNeedNotExist() {
		PlanCheck check = read(HEAD + "phases:\n" + SCHEMA + PREFLIGHT_FRESH);

		assertThat(check.errors()).isEmpty();
	}

	@Test
	void aTableCreatedByALaterSqlPhaseMustExist() {
		PlanCheck check = read(HEAD + "phases:\n" + PREFLIGHT_FRESH + SCHEMA);

		assertThat(check.errors()).singleElement()
			.satisfies((error) -> assertThat(error.message())
				.isEqualTo("Table 'Fresh' does not exist on connection 'app' (the later phase 'schema' creates it)"));
	}

	@Test
	void aColumnAddedByAnEarlierSqlPhaseNeedNotExist() {
		String alter = "  - id: alter\n    kind: sql\n"
				+ "    apply: ALTER TABLE Listing ADD COLUMN legacy_note VARCHAR(40)\n"
				+ "    rollback: ALTER TABLE Listing DROP COLUMN legacy_note\n";
		String fill = "  - id: fill\n    kind: import\n    query: SELECT id, name FROM cultivars\n    table: Listing\n"
				+ "    key: [id]\n    columns:\n      id: { type: integer }\n      legacy_note: { from: name }\n";
		PlanCheck earlier = read(HEAD + "phases:\n" + alter + fill);
		PlanCheck later = read(HEAD + "phases:\n" + fill + alter);

		assertThat(earlier.errors()).isEmpty();
		assertThat(later.errors()).singleElement()
			.satisfies((error) -> assertThat(error.message())
				.isEqualTo("Column 'legacy_note' does not exist in table 'Listing' on connection 'app'"));
	}

	@Test
	void anIrreversibleSqlPhaseNeedsNoRollbackAndMayNotHaveOne() {
		String irreversible = "  - id: purge\n    kind: sql\n    apply: DELETE FROM Listing\n    irreversible: true\n";
		PlanCheck valid = read(HEAD + "phases:\n" + irreversible);
		PlanCheck withRollback = read(HEAD + "phases:\n" + irreversible + "    rollback: SELECT 1\n");

		assertThat(valid.errors()).isEmpty();
		assertThat(((SqlPhase) valid.spec().phases().get(0)).rollback()).isNull();
		assertThat(withRollback.errors()).extracting(PlanProblem::path).containsExactly("phases[0].rollback");
	}

	@Test
	void gatesResolveConnectionsAndReadEveryCheck() {
		PlanCheck check = read(HEAD + "phases:\n" + SCHEMA
				+ """
						gates:
						  - { id: fixed, check: row-count, table: Listing, expect: 120, tolerance: 3, level: warn }
						  - { id: total, check: sql, on: source, query: SELECT count(*) FROM cultivars, min: 1, max: 2.5 }
						  - { id: health, check: http, url: "https://STATUS.example.com/actuator/health", pointer: /status, equals: UP }
						  - { id: same, check: schema-matches, on: target, reference: cultivars, tables: [cultivars] }
						""");

		assertThat(check.errors()).isEmpty();
		assertThat(check.spec().gate("fixed"))
			.contains(new RowCountGate("fixed", Level.WARN, new TableRef(TableRef.Side.DEFAULT, "Listing", "app"),
					new RowCountGate.FixedRows(120), Tolerance.rows(3)));
		assertThat(check.spec().gate("total")).contains(new SqlGate("total", Level.ERROR, "cultivars",
				"SELECT count(*) FROM cultivars", new Bounds(BigDecimal.ONE, new BigDecimal("2.5"), null)));
		assertThat(check.spec().gate("health")).contains(new HttpGate("health", Level.ERROR,
				URI.create("https://STATUS.example.com/actuator/health"), "/status", new Bounds(null, null, "UP")));
		assertThat(check.spec().gate("same"))
			.contains(new SchemaMatchesGate("same", Level.ERROR, "app", "cultivars", java.util.List.of("cultivars")));
	}

	@Test
	void phaseConnectionsOverrideTheDefaults() {
		PlanCheck check = read("""
				plan: rules
				source: cultivars
				target: app
				approvals: { operators: 2, owner-signoff: yes }
				phases:
				  - { id: look, kind: preflight, connection: source, count: [cultivars, target.Listing] }
				  - id: copy
				    kind: import
				    connection: app
				    query: SELECT id FROM Listing
				    table: Listing
				    key: [ID]
				    columns: { id: { type: integer, default: "0" } }
				    delete-missing: true
				    batch-size: 100
				""");

		assertThat(check.errors()).isEmpty();
		PreflightPhase look = (PreflightPhase) check.spec().phases().get(0);
		assertThat(look.connection()).isEqualTo("cultivars");
		assertThat(look.count()).extracting(TableRef::connection).containsExactly("cultivars", "app");
		ImportPhase copy = (ImportPhase) check.spec().phases().get(1);
		assertThat(copy.connection()).isEqualTo("app");
		assertThat(copy.deleteMissing()).isTrue();
		assertThat(copy.batchSize()).isEqualTo(100);
		assertThat(copy.columns().get("id").defaultValue()).isEqualTo("0");
		assertThat(check.spec().approvals()).isEqualTo(new ApprovalsSpec(2, true));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					{ id: g, check: sql, query: SELECT 1, min: 1, equals: 1 }  | gates[0].equals    | equals cannot be combined with min or max
					{ id: g, check: sql, query: SELECT 1, min: 5, max: 1 }     | gates[0].max       | max (1) is smaller than min (5)
					{ id: g, check: http, url: ftp://status.example.com/x, pointer: /a, max: 1 } | gates[0].url | Expected an http or https URL
					{ id: g, check: http, url: https://status.example.com/, pointer: a, max: 1 } | gates[0].pointer | is not a JSON pointer
					{ id: g, check: mapping-open, max: -1 }                    | gates[0].max       | Expected a number of at least 0, found -1
					{ id: g, check: rejected-rows, max: 1, level: fatal }      | gates[0].level     | Unknown level 'fatal'; allowed: error, warn
					{ id: g, check: schema-matches, reference: target, tables: [Listing] } | gates[0].reference | must differ from on
					{ id: G1, check: rejected-rows, max: 1 }                   | gates[0].id        | Gate id 'G1' is not valid
					{ id: g, check: row-count, table: Listing, expect: 1 }     | gates[0].tolerance | Missing key 'tolerance' in a row-count gate
					{ id: g, check: mapping-coverage, at-least: 0.98 }         | gates[0].at-least  | Expected a percentage like 98% or 0.5%
					""")
	void gateValuesAreChecked(String gate, String path, String message) {
		PlanCheck check = read(HEAD + "phases:\n" + SCHEMA + "gates:\n  - " + gate + "\n");

		assertThat(check.errors()).anySatisfy((error) -> {
			assertThat(error.path()).isEqualTo(path);
			assertThat(error.message()).contains(message);
		});
	}

}
