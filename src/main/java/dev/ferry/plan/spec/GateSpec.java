package dev.ferry.plan.spec;

/** A named criterion phases refer to; the records implementing it are the checks. */
public sealed interface GateSpec permits RowCountGate, RejectedRowsGate, MappingCoverageGate, MappingOpenGate, SqlGate,
		SchemaMatchesGate, HttpGate, QueryUnchangedGate, SnapshotFreshGate {

	String id();

	Level level();

	Check check();

	/**
	 * Whether a failed gate blocks ({@code error}) or only shows amber ({@code warn}).
	 */
	enum Level {

		ERROR("error"), WARN("warn");

		private final String yamlName;

		Level(String yamlName) {
			this.yamlName = yamlName;
		}

		public String yamlName() {
			return this.yamlName;
		}

	}

	/** The checks, with the names the YAML {@code check:} key uses. */
	enum Check {

		ROW_COUNT("row-count"), REJECTED_ROWS("rejected-rows"), MAPPING_COVERAGE("mapping-coverage"),
		MAPPING_OPEN("mapping-open"), SQL("sql"), SCHEMA_MATCHES("schema-matches"), HTTP("http"),
		QUERY_UNCHANGED("query-unchanged"), SNAPSHOT_FRESH("snapshot-fresh");

		private final String yamlName;

		Check(String yamlName) {
			this.yamlName = yamlName;
		}

		public String yamlName() {
			return this.yamlName;
		}

	}

}
