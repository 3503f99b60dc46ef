package dev.ferry;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the module boundaries (no cycles, no access to another module's internals) and
 * writes the module documentation to {@code target/spring-modulith-docs}.
 */
class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(FerryApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		MODULES.verify();
	}

	@Test
	void theModulesAreTheOnesTheArchitectureDocumentNames() {
		assertThat(MODULES.stream().map(ApplicationModule::getIdentifier).map(Object::toString))
			.containsExactlyInAnyOrder("security", "web", "problem", "connection", "plan", "demo", "lifecycle", "run",
					"preflight", "sql", "importing", "changeset", "mapping", "gate", "audit", "retention", "runbook",
					"window", "snapshot", "notify", "cli");
	}

	@Test
	void theEngineDependsOnNoPhaseKind() {
		ApplicationModule run = MODULES.getModuleByName("run").orElseThrow();
		for (String phaseKind : new String[] { "preflight", "sql", "importing", "mapping" }) {
			ApplicationModule module = MODULES.getModuleByName(phaseKind).orElseThrow();
			assertThat(run.getDirectDependencies(MODULES).contains(module)).as("run depends on " + phaseKind).isFalse();
		}
	}

	@Test
	void writesModuleDocumentation() {
		new Documenter(MODULES).writeDocumentation();
	}

}
