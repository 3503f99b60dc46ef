package dev.ferry.gate.internal;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionService;
import dev.ferry.mapping.Coverage;
import dev.ferry.mapping.MappingService;
import dev.ferry.plan.HttpCheckHosts;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.Bounds;
import dev.ferry.plan.spec.GateSpec;
import dev.ferry.plan.spec.HttpGate;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.MappingCoverageGate;
import dev.ferry.plan.spec.MappingOpenGate;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.PreflightPhase;
import dev.ferry.plan.spec.QueryUnchangedGate;
import dev.ferry.plan.spec.RejectedRowsGate;
import dev.ferry.plan.spec.RowCountGate;
import dev.ferry.plan.spec.SchemaMatchesGate;
import dev.ferry.plan.spec.SqlGate;
import dev.ferry.plan.spec.TableRef;
import dev.ferry.plan.spec.Tolerance;
import dev.ferry.problem.ErrorWords;
import dev.ferry.preflight.Measurement;
import dev.ferry.preflight.PreflightService;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Measures one gate, each check as {@code plan-format.md} defines it. What cannot be
 * measured yet (no dry run, a table that does not exist yet, no preflight baseline) is
 * not measured; a database or an endpoint that refuses is a failure with its message.
 */
@Component
class GateChecks {

	/** How many schema differences a result names; the rest are counted. */
	static final int DIFFERENCES_NAMED = 20;

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

	private final ChangeSetService changeSets;

	private final MappingService mappings;

	private final ConnectionService connections;

	private final RunService runs;

	private final PreflightService preflights;

	private final JsonMapper json;

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(HTTP_TIMEOUT)
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	/**
	 * The hosts http gates may call now (checked when a plan is saved, and again here).
	 */
	private final java.util.Set<String> allowedHosts;

	GateChecks(ChangeSetService changeSets, MappingService mappings, ConnectionService connections, RunService runs,
			PreflightService preflights, JsonMapper json, Environment environment) {
		this.allowedHosts = HttpCheckHosts.allowed(environment);
		this.changeSets = changeSets;
		this.mappings = mappings;
		this.connections = connections;
		this.runs = runs;
		this.preflights = preflights;
		this.json = json;
	}

	/**
	 * What a gate measures now.
	 *
	 * @param value what was measured, as shown, or null
	 * @param threshold what it must satisfy, as shown
	 * @param passed whether it did, or null when not measured
	 * @param detail why, or null
	 * @param runId the run the value comes from, or null
	 */
	record Measured(String value, String threshold, Boolean passed, String detail, Long runId) {

		static Measured notMeasured(String threshold, String why) {
			return new Measured(null, threshold, null, why, null);
		}

	}

	Measured measure(PlanVersion version, PhaseSpec phase, GateSpec gate) {
		String threshold = threshold(gate);
		try {
			if (gate instanceof RowCountGate rowCount) {
				return rowCount(version, phase, rowCount, threshold);
			}
			if (gate instanceof RejectedRowsGate rejected) {
				return rejected(version, phase, rejected, threshold);
			}
			if (gate instanceof MappingCoverageGate coverage) {
				return coverage(version, phase, coverage, threshold);
			}
			if (gate instanceof MappingOpenGate open) {
				return open(version, phase, open, threshold);
			}
			if (gate instanceof SqlGate sql) {
				return sql(sql, threshold);
			}
			if (gate instanceof SchemaMatchesGate schema) {
				return schema(schema, threshold);
			}
			if (gate instanceof HttpGate endpoint) {
				return http(endpoint, threshold);
			}
			return unchanged(version, (QueryUnchangedGate) gate, threshold);
		}
		catch (RuntimeException ex) {
			return new Measured(null, threshold, false, ErrorWords.of(ex), null);
		}
	}

	// --- the checks ---------------------------------------------------------------

	private Measured rowCount(PlanVersion version, PhaseSpec phase, RowCountGate gate, String threshold) {
		long actual;
		Long runId = null;
		String how;
		if (phase instanceof ImportPhase imported && gate.table().side() != TableRef.Side.SOURCE
				&& gate.table().connection().equals(version.spec().target())
				&& gate.table().table().equalsIgnoreCase(imported.table())) {
			Optional<ChangeSet> changeSet = this.changeSets.latest(version.plan(), phase.id());
			if (changeSet.isEmpty()) {
				return Measured.notMeasured(threshold, "Phase " + phase.id()
						+ " has no dry run yet: the rows are counted as its change set would leave them.");
			}
			actual = changeSet.get().totals().projectedTargetRows();
			runId = changeSet.get().runId();
			how = "after dry run #" + runId;
		}
		else {
			OptionalLong rows = count(gate.table());
			if (rows.isEmpty()) {
				return Measured.notMeasured(threshold, "Table " + gate.table() + " cannot be counted on "
						+ gate.table().connection() + " (does it exist yet?).");
			}
			actual = rows.getAsLong();
			how = "now";
		}
		long expected;
		if (gate.expect() instanceof RowCountGate.FixedRows fixed) {
			expected = fixed.rows();
		}
		else {
			TableRef table = ((RowCountGate.TableRows) gate.expect()).table();
			OptionalLong rows = count(table);
			if (rows.isEmpty()) {
				return Measured.notMeasured(threshold,
						"Table " + table + " cannot be counted on " + table.connection() + " (does it exist yet?).");
			}
			expected = rows.getAsLong();
		}
		long allowed = allowed(gate.tolerance(), expected);
		long delta = actual - expected;
		String value = String.format(Locale.ROOT, "%,d rows %s, expected %,d (%+,d)", actual, how, expected, delta);
		boolean passed = Math.abs(delta) <= allowed;
		return new Measured(value, threshold + String.format(Locale.ROOT, " (±%,d)", allowed), passed,
				passed ? null : String.format(Locale.ROOT, "%,d rows off, %,d allowed.", Math.abs(delta), allowed),
				runId);
	}

	private Measured rejected(PlanVersion version, PhaseSpec phase, RejectedRowsGate gate, String threshold) {
		Optional<ChangeSet> changeSet = this.changeSets.latest(version.plan(), phase.id());
		if (changeSet.isEmpty()) {
			return Measured.notMeasured(threshold, "Phase " + phase.id() + " has no dry run yet.");
		}
		long rejected = changeSet.get().totals().rejected();
		return new Measured(String.format(Locale.ROOT, "%,d rejected", rejected), threshold, rejected <= gate.max(),
				null, changeSet.get().runId());
	}

	private Measured coverage(PlanVersion version, PhaseSpec phase, MappingCoverageGate gate, String threshold) {
		Optional<Coverage> coverage = this.mappings.coverage(version.plan(), phase.id());
		if (coverage.isEmpty()) {
			return Measured.notMeasured(threshold, "Phase " + phase.id() + " has no mapping dry run yet.");
		}
		Coverage c = coverage.get();
		double percent = c.coverage() * 100;
		String value = String.format(Locale.ROOT, "%.2f%% (%,d of %,d mapped)", percent, c.auto() + c.manual(),
				c.all() - c.excluded());
		// in percent to two places, as shown: 97.995% is not 98%
		boolean passed = Math.round(percent * 100) >= Math.round(gate.atLeastPercent() * 100);
		return new Measured(value, threshold, passed, null, c.runId());
	}

	private Measured open(PlanVersion version, PhaseSpec phase, MappingOpenGate gate, String threshold) {
		Optional<Coverage> coverage = this.mappings.coverage(version.plan(), phase.id());
		if (coverage.isEmpty()) {
			return Measured.notMeasured(threshold, "Phase " + phase.id() + " has no mapping dry run yet.");
		}
		Coverage c = coverage.get();
		String value = String.format(Locale.ROOT, "%,d open (%,d ambiguous, %,d unresolved, %,d conflict)", c.open(),
				c.ambiguous(), c.unresolved(), c.conflict());
		return new Measured(value, threshold, c.open() <= gate.max(), null, c.runId());
	}

	private Measured sql(SqlGate gate, String threshold) {
		String value;
		try (Connection c = this.connections.dataSource(gate.on()).getConnection()) {
			boolean autoCommit = c.getAutoCommit();
			c.setAutoCommit(false);
			try (PreparedStatement statement = c.prepareStatement(gate.query());
					ResultSet rs = statement.executeQuery()) {
				value = rs.next() ? rs.getString(1) : null;
			}
			finally {
				// a gate only reads
				c.rollback();
				c.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			return new Measured(null, threshold, false,
					"The query failed on " + gate.on() + ": " + ex.getMessage().strip(), null);
		}
		if (value == null) {
			return new Measured("no value", threshold, false, "The query returned no row, or NULL.", null);
		}
		return bounded(value, gate.bounds(), threshold);
	}

	private Measured schema(SchemaMatchesGate gate, String threshold) {
		ConnectionCatalog on = this.connections.catalog(gate.on())
			.orElseThrow(() -> new IllegalStateException("Connection " + gate.on() + " cannot be reached."));
		ConnectionCatalog reference = this.connections.catalog(gate.reference())
			.orElseThrow(() -> new IllegalStateException("Connection " + gate.reference() + " cannot be reached."));
		List<String> differences = new ArrayList<>();
		for (String name : gate.tables()) {
			Optional<ConnectionCatalog.Table> mine = on.table(name);
			Optional<ConnectionCatalog.Table> theirs = reference.table(name);
			if (mine.isEmpty() || theirs.isEmpty()) {
				if (mine.isPresent() || theirs.isPresent()) {
					differences.add(name + ": only on " + (mine.isPresent() ? gate.on() : gate.reference()));
				}
				else {
					differences.add(name + ": on neither");
				}
				continue;
			}
			differences.addAll(differences(name, mine.get(), theirs.get(), gate));
		}
		String value = differences.isEmpty() ? "no differences"
				: String.format(Locale.ROOT, "%,d difference(s)", differences.size());
		String detail = null;
		if (!differences.isEmpty()) {
			detail = String.join("; ", differences.subList(0, Math.min(DIFFERENCES_NAMED, differences.size())))
					+ (differences.size() > DIFFERENCES_NAMED
							? String.format(Locale.ROOT, "; and %,d more", differences.size() - DIFFERENCES_NAMED) : "")
					+ ".";
		}
		return new Measured(value, threshold, differences.isEmpty(), detail, null);
	}

	private static List<String> differences(String name, ConnectionCatalog.Table mine, ConnectionCatalog.Table theirs,
			SchemaMatchesGate gate) {
		List<String> differences = new ArrayList<>();
		Map<String, ConnectionCatalog.Column> reference = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		theirs.columns().forEach(column -> reference.put(column.name(), column));
		Map<String, ConnectionCatalog.Column> columns = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		mine.columns().forEach(column -> columns.put(column.name(), column));
		for (ConnectionCatalog.Column column : mine.columns()) {
			ConnectionCatalog.Column other = reference.get(column.name());
			if (other == null) {
				differences.add(name + "." + column.name() + ": only on " + gate.on());
			}
			else {
				if (!column.type().equalsIgnoreCase(other.type())) {
					differences.add(name + "." + column.name() + ": " + column.type() + " on " + gate.on() + ", "
							+ other.type() + " on " + gate.reference());
				}
				if (column.nullable() != other.nullable()) {
					differences.add(name + "." + column.name() + ": " + (column.nullable() ? "nullable" : "NOT NULL")
							+ " on " + gate.on() + ", " + (other.nullable() ? "nullable" : "NOT NULL") + " on "
							+ gate.reference());
				}
			}
		}
		for (ConnectionCatalog.Column column : theirs.columns()) {
			if (!columns.containsKey(column.name())) {
				differences.add(name + "." + column.name() + ": only on " + gate.reference());
			}
		}
		List<String> key = mine.primaryKey().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
		List<String> otherKey = theirs.primaryKey().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
		if (!key.equals(otherKey)) {
			differences.add(name + ": primary key " + mine.primaryKey() + " on " + gate.on() + ", "
					+ theirs.primaryKey() + " on " + gate.reference());
		}
		return differences;
	}

	private Measured http(HttpGate gate, String threshold) {
		if (!this.allowedHosts.contains(gate.url().getHost().toLowerCase(Locale.ROOT))) {
			return new Measured(null, threshold, false, "Host " + gate.url().getHost()
					+ " is no longer allowed for http gates (ferry.http-checks.allowed-hosts): it was not called.",
					null);
		}
		HttpResponse<String> response;
		try {
			response = this.http.send(HttpRequest.newBuilder(gate.url())
				.timeout(HTTP_TIMEOUT)
				.header("Accept", "application/json")
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			return new Measured(null, threshold, false, "GET " + gate.url() + " failed: " + failure(ex, gate.url()),
					null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Measured(null, threshold, false, "GET " + gate.url() + " was interrupted.", null);
		}
		if (response.statusCode() / 100 != 2) {
			return new Measured(null, threshold, false,
					"GET " + gate.url() + " answered HTTP " + response.statusCode() + ".", null);
		}
		JsonNode node;
		try {
			node = this.json.readTree(response.body()).at(gate.pointer());
		}
		catch (RuntimeException ex) {
			return new Measured(null, threshold, false, "GET " + gate.url() + " did not answer JSON.", null);
		}
		if (node.isMissingNode() || node.isNull()) {
			return new Measured(null, threshold, false,
					"The answer of " + gate.url() + " has no value at " + gate.pointer() + ".", null);
		}
		return bounded(node.isValueNode() ? node.asString() : node.toString(), gate.bounds(), threshold);
	}

	private Measured unchanged(PlanVersion version, QueryUnchangedGate gate, String threshold) {
		RunView preflight = null;
		for (PhaseSpec phase : version.spec().phases()) {
			if (phase instanceof PreflightPhase) {
				Optional<RunView> latest = this.runs.latest(version.plan(), phase.id(), RunMode.DRY_RUN)
					.filter(run -> run.state() == RunState.SUCCEEDED);
				if (latest.isPresent() && (preflight == null || latest.get().id() > preflight.id())) {
					preflight = latest.get();
				}
			}
		}
		if (preflight == null) {
			return Measured.notMeasured(threshold,
					"No preflight run has succeeded yet: it takes the baseline this query is compared with.");
		}
		long preflightId = preflight.id();
		Optional<Measurement> baseline = this.preflights.measurements(preflightId)
			.stream()
			.filter(m -> m.kind() == Measurement.Kind.QUERY && m.subject().equals(gate.id()))
			.findFirst();
		if (baseline.isEmpty()) {
			return Measured.notMeasured(threshold, "Preflight run #" + preflightId
					+ " has no baseline of this query (the plan gained the gate after it ran): run the preflight again.");
		}
		Measurement now = this.preflights.measureQuery(gate.on(), gate.id(), gate.query());
		boolean same = now.checksum().equals(baseline.get().checksum());
		String value = String.format(Locale.ROOT, "%,d rows, checksum %s", now.rows(), shortSha(now.checksum()));
		return new Measured(value,
				threshold + String.format(Locale.ROOT, " (preflight #%d: %,d rows, checksum %s)", preflightId,
						baseline.get().rows(), shortSha(baseline.get().checksum())),
				same, same ? null : "The query's result differs from the one preflight #" + preflightId + " took.",
				preflightId);
	}

	// --- helpers ------------------------------------------------------------------

	/**
	 * Why a request failed, in words: the HTTP client's exceptions often have no message
	 * (a refused connection, a timeout), so the causes are asked too, then the kind.
	 */
	static String failure(java.io.IOException ex, URI url) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
				return cause.getMessage();
			}
		}
		if (ex instanceof java.net.ConnectException) {
			return "nothing answered at " + url.getHost() + ":"
					+ ((url.getPort() >= 0) ? url.getPort() : ("https".equalsIgnoreCase(url.getScheme()) ? 443 : 80))
					+ " (connection refused).";
		}
		return ex.getClass().getSimpleName() + ".";
	}

	private OptionalLong count(TableRef table) {
		return this.connections.exists(table.connection())
				? this.connections.rowCount(table.connection(), table.table()) : OptionalLong.empty();
	}

	static long allowed(Tolerance tolerance, long expected) {
		return tolerance.unit() == Tolerance.Unit.PERCENT
				? (long) Math.floor(Math.abs(expected) * tolerance.amount() / 100.0) : (long) tolerance.amount();
	}

	/** A value against {@code min}/{@code max} (numbers) or {@code equals}. */
	static Measured bounded(String value, Bounds bounds, String threshold) {
		String text = value.strip();
		BigDecimal number = number(text);
		if (bounds.equals() != null) {
			BigDecimal expected = number(bounds.equals());
			boolean same = (number != null && expected != null) ? number.compareTo(expected) == 0
					: text.equals(bounds.equals());
			return new Measured(text, threshold, same, null, null);
		}
		if (number == null) {
			return new Measured(text, threshold, false, "\"" + text + "\" is not a number.", null);
		}
		boolean within = (bounds.min() == null || number.compareTo(bounds.min()) >= 0)
				&& (bounds.max() == null || number.compareTo(bounds.max()) <= 0);
		return new Measured(text, threshold, within, null, null);
	}

	private static BigDecimal number(String text) {
		try {
			return new BigDecimal(text.strip());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** What a gate's value must satisfy, in words. */
	static String threshold(GateSpec gate) {
		if (gate instanceof RowCountGate rowCount) {
			return "within " + tolerance(rowCount.tolerance()) + " of "
					+ ((rowCount.expect() instanceof RowCountGate.FixedRows fixed)
							? String.format(Locale.ROOT, "%,d", fixed.rows())
							: ((RowCountGate.TableRows) rowCount.expect()).table().toString());
		}
		if (gate instanceof RejectedRowsGate rejected) {
			return String.format(Locale.ROOT, "at most %,d", rejected.max());
		}
		if (gate instanceof MappingCoverageGate coverage) {
			return "at least " + plain(coverage.atLeastPercent()) + "%";
		}
		if (gate instanceof MappingOpenGate open) {
			return String.format(Locale.ROOT, "at most %,d open", open.max());
		}
		if (gate instanceof SqlGate sql) {
			return bounds(sql.bounds());
		}
		if (gate instanceof SchemaMatchesGate schema) {
			return "the same as on " + schema.reference();
		}
		if (gate instanceof HttpGate endpoint) {
			return bounds(endpoint.bounds());
		}
		return "equal to the preflight baseline";
	}

	private static String bounds(Bounds bounds) {
		if (bounds.equals() != null) {
			return "equal to " + bounds.equals();
		}
		if (bounds.min() != null && bounds.max() != null) {
			return "between " + bounds.min().toPlainString() + " and " + bounds.max().toPlainString();
		}
		return (bounds.min() != null) ? "at least " + bounds.min().toPlainString()
				: "at most " + bounds.max().toPlainString();
	}

	private static String tolerance(Tolerance tolerance) {
		return tolerance.unit() == Tolerance.Unit.PERCENT ? "±" + plain(tolerance.amount()) + "%"
				: String.format(Locale.ROOT, "±%,d rows", (long) tolerance.amount());
	}

	private static String plain(double number) {
		return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
	}

	private static String shortSha(String checksum) {
		return checksum == null ? "none" : checksum.substring(0, Math.min(12, checksum.length()));
	}

}
