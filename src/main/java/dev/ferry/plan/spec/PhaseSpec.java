package dev.ferry.plan.spec;

import java.util.List;

/** One phase of a plan; the records implementing it are the phase kinds. */
public sealed interface PhaseSpec
		permits PreflightPhase, SnapshotPhase, SqlPhase, ImportPhase, MappingPhase, VerifyPhase {

	String id();

	Kind kind();

	/** Ids of the gates this phase must pass, in the order written. */
	List<String> gates();

	/** The phase kinds, with the names the YAML {@code kind:} key uses. */
	enum Kind {

		PREFLIGHT("preflight"), SNAPSHOT("snapshot"), SQL("sql"), IMPORT("import"), MAPPING("mapping"),
		VERIFY("verify");

		private final String yamlName;

		Kind(String yamlName) {
			this.yamlName = yamlName;
		}

		public String yamlName() {
			return this.yamlName;
		}

		/**
		 * Whether a phase of this kind writes, so has an apply (and approvals and a
		 * rollback); preflight, snapshot and verify phases only read.
		 */
		public boolean writes() {
			return this == SQL || this == IMPORT || this == MAPPING;
		}

	}

}
