package dev.ferry.plan.spec;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ferry.plan.spec.ColumnRule.Type;
import dev.ferry.plan.spec.GateSpec.Level;
import dev.ferry.plan.spec.MappingPhase.Compare;
import dev.ferry.plan.spec.TableRef.Side;

import static dev.ferry.plan.spec.Normalization.COLLAPSE_SPACES;
import static dev.ferry.plan.spec.Normalization.LOWER;
import static dev.ferry.plan.spec.Normalization.STRIP_ACCENTS;
import static dev.ferry.plan.spec.Normalization.TRIM;
import static dev.ferry.plan.spec.Normalization.UPPER;
import static org.assertj.core.api.Assertions.assertThat;

/** The AHS V2 example of the plan format, read into the model. */
class PlanReaderTests {

	static byte[] resource(String name) {
		try (InputStream in = PlanReaderTests.class.getResourceAsStream("/plans/" + name)) {
			assertThat(in).as(name).isNotNull();
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static PlanCheck read(String yaml) {
		return PlanReader.read(yaml.getBytes(StandardCharsets.UTF_8), FakePlanEnvironment.ahs());
	}

	@Test
	void readsTheExampleOfThePlanFormat() {
		PlanCheck check = PlanReader.read(resource("valid/ahs-v2.yaml"), FakePlanEnvironment.ahs());

		assertThat(check.errors()).isEmpty();
		assertThat(check.warnings()).isEmpty();
		assertThat(check.valid()).isTrue();
		PlanSpec plan = check.spec();
		assertThat(plan.plan()).isEqualTo("ahs-v2");
		assertThat(plan.title()).isEqualTo("AHS V2 cultivar dataset");
		assertThat(plan.description()).isNull();
		assertThat(plan.source()).isEqualTo("cultivars");
		assertThat(plan.target()).isEqualTo("app");
		assertThat(plan.approvals()).isEqualTo(new ApprovalsSpec(1, false));
		assertThat(plan.phases()).extracting(PhaseSpec::id)
			.containsExactly("preflight", "schema", "import", "map", "verify");
		assertThat(plan.phases()).extracting(PhaseSpec::kind)
			.containsExactly(PhaseSpec.Kind.PREFLIGHT, PhaseSpec.Kind.SQL, PhaseSpec.Kind.IMPORT,
					PhaseSpec.Kind.MAPPING, PhaseSpec.Kind.VERIFY);

		PreflightPhase preflight = (PreflightPhase) plan.phases().get(0);
		assertThat(preflight.connection()).isEqualTo("app");
		assertThat(preflight.count()).containsExactly(new TableRef(Side.SOURCE, "cultivars", "cultivars"),
				new TableRef(Side.TARGET, "AhsListing", "app"), new TableRef(Side.TARGET, "Listing", "app"));
		assertThat(preflight.checksum()).extracting(TableRef::toString)
			.containsExactly("target.AhsListing", "target.Listing");
		assertThat(preflight.snapshot()).isEmpty();
		assertThat(preflight.gates()).isEmpty();

		SqlPhase schema = (SqlPhase) plan.phases().get(1);
		assertThat(schema.connection()).isEqualTo("app");
		assertThat(schema.apply()).startsWith("CREATE TABLE AhsListingV2 (id INTEGER PRIMARY KEY")
			.contains("CREATE TABLE AhsListingV2Map");
		assertThat(schema.rollback()).isEqualTo("DROP TABLE AhsListingV2Map;\nDROP TABLE AhsListingV2;\n");
		assertThat(schema.irreversible()).isFalse();

		ImportPhase importPhase = (ImportPhase) plan.phases().get(2);
		assertThat(importPhase.connection()).isEqualTo("cultivars");
		assertThat(importPhase.query()).isEqualTo("SELECT id, name, hybridizer, year, fragrance FROM cultivars");
		assertThat(importPhase.table()).isEqualTo("AhsListingV2");
		assertThat(importPhase.key()).containsExactly("id");
		assertThat(importPhase.columns()).containsOnlyKeys("id", "name", "hybridizer", "year", "fragrant");
		assertThat(importPhase.columns().keySet()).containsExactly("id", "name", "hybridizer", "year", "fragrant");
		assertThat(importPhase.columns().get("id"))
			.isEqualTo(new ColumnRule("id", Type.INTEGER, null, List.of(), List.of(), false, null));
		assertThat(importPhase.columns().get("name")).isEqualTo(
				new ColumnRule("name", Type.STRING, null, List.of(TRIM, COLLAPSE_SPACES), List.of(), true, null));
		assertThat(importPhase.columns().get("hybridizer").normalize()).containsExactly(TRIM, UPPER);
		assertThat(importPhase.columns().get("hybridizer").nullIf()).containsExactly("", "N/A", "UNKNOWN");
		assertThat(importPhase.columns().get("year").nullIf()).containsExactly("");
		assertThat(importPhase.columns().get("fragrant").from()).isEqualTo("fragrance");
		assertThat(importPhase.columns().get("fragrant").type()).isEqualTo(Type.BOOLEAN);
		assertThat(importPhase.deleteMissing()).isFalse();
		assertThat(importPhase.batchSize()).isEqualTo(5000);
		assertThat(importPhase.gates()).containsExactly("v2-count", "few-rejects");

		MappingPhase map = (MappingPhase) plan.phases().get(3);
		assertThat(map.oldSide()).isEqualTo(new MappingPhase.Side("AhsListing", "id", "app"));
		assertThat(map.newSide()).isEqualTo(new MappingPhase.Side("AhsListingV2", "id", "app"));
		assertThat(map.block())
			.isEqualTo(new MappingPhase.Block("name", "name", List.of(TRIM, COLLAPSE_SPACES, LOWER, STRIP_ACCENTS)));
		assertThat(map.tieBreakers()).containsExactly(
				new MappingPhase.TieBreaker("year", "year", 0.6, List.of(), Compare.EXACT),
				new MappingPhase.TieBreaker("hybridizer_code", "hybridizer", 0.4, List.of(TRIM, UPPER), Compare.EXACT));
		assertThat(map.accept()).isEqualTo(new MappingPhase.Accept(0.8, 0.2));
		assertThat(map.uniqueNew()).isFalse();
		assertThat(map.into())
			.isEqualTo(new MappingPhase.Into("AhsListingV2Map", "old_id", "new_id", "status", "confidence"));
		assertThat(map.gates()).containsExactly("coverage", "none-open", "listings-intact");

		VerifyPhase verify = (VerifyPhase) plan.phases().get(4);
		assertThat(verify.gates()).containsExactly("listings-intact", "no-orphans");
		assertThat(verify.onFail()).isEqualTo(VerifyPhase.OnFail.ROLLBACK);

		assertThat(plan.gates()).extracting(GateSpec::id)
			.containsExactly("v2-count", "few-rejects", "coverage", "none-open", "no-orphans", "listings-intact");
		assertThat(plan.gates()).extracting(GateSpec::level).containsOnly(Level.ERROR);
		assertThat(plan.gate("v2-count"))
			.contains(new RowCountGate("v2-count", Level.ERROR, new TableRef(Side.TARGET, "AhsListingV2", "app"),
					new RowCountGate.TableRows(new TableRef(Side.SOURCE, "cultivars", "cultivars")),
					Tolerance.percent(0.5)));
		assertThat(plan.gate("few-rejects")).contains(new RejectedRowsGate("few-rejects", Level.ERROR, 25));
		assertThat(plan.gate("coverage")).contains(new MappingCoverageGate("coverage", Level.ERROR, 98));
		assertThat(plan.gate("none-open")).contains(new MappingOpenGate("none-open", Level.ERROR, 0));
		SqlGate noOrphans = (SqlGate) plan.gate("no-orphans").orElseThrow();
		assertThat(noOrphans.on()).isEqualTo("app");
		assertThat(noOrphans.query()).startsWith("SELECT count(*) FROM Listing l LEFT JOIN AhsListing a");
		assertThat(noOrphans.bounds()).isEqualTo(new Bounds(null, BigDecimal.ZERO, null));
		assertThat(plan.gate("listings-intact")).contains(new QueryUnchangedGate("listings-intact", Level.ERROR, "app",
				"SELECT id, ahs_id, title FROM Listing ORDER BY id"));
	}

	@Test
	void anUnreachableCatalogueGivesOneWarningPerConnectionAndNoError() {
		PlanCheck check = PlanReader.read(resource("valid/ahs-v2.yaml"), FakePlanEnvironment.unreachable());

		assertThat(check.errors()).isEmpty();
		assertThat(check.spec()).isNotNull();
		assertThat(check.warnings()).extracting(PlanProblem::message)
			.containsExactly("Connection 'cultivars' cannot be reached: tables and columns were not checked",
					"Connection 'app' cannot be reached: tables and columns were not checked");
		assertThat(check.warnings()).extracting(PlanProblem::line, PlanProblem::column)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(9, 13), org.assertj.core.groups.Tuple.tuple(9, 31));
	}

}
