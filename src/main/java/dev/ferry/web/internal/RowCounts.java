package dev.ferry.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanVersion;
import dev.ferry.plan.spec.GateSpec;
import dev.ferry.plan.spec.ImportPhase;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.PreflightPhase;
import dev.ferry.plan.spec.RowCountGate;
import dev.ferry.plan.spec.TableRef;
import dev.ferry.plan.spec.Tolerance;
import dev.ferry.preflight.Measurement;

import org.springframework.stereotype.Component;

/**
 * The dashboard's row counts: for each table an import writes, a row-count gate names or
 * preflight counts, the rows of the source, of the target now and after the latest dry
 * run, the expected rows with their tolerance, and the preflight baseline. Live counts
 * are kept for a few seconds, so a dashboard refreshing itself during a run does not
 * count the same tables every two seconds.
 */
@Component
class RowCounts {

	static final Duration LIVE_FOR = Duration.ofSeconds(10);

	private final ChangeSetService changeSets;

	private final ConnectionService connections;

	private final Clock clock;

	private final Map<String, Counted> live = new ConcurrentHashMap<>();

	RowCounts(ChangeSetService changeSets, ConnectionService connections, Clock clock) {
		this.changeSets = changeSets;
		this.connections = connections;
		this.clock = clock;
	}

	/**
	 * The lines of a plan's tables.
	 * @param changedAt when a phase of the plan last changed state (an apply or rollback
	 * changes the tables): counts kept from before are counted again
	 */
	List<Line> lines(PlanVersion version, List<Measurement> baseline, Instant changedAt) {
		this.since.set(changedAt);
		try {
			return lines(version, baseline);
		}
		finally {
			this.since.remove();
		}
	}

	private final ThreadLocal<Instant> since = new ThreadLocal<>();

	private List<Line> lines(PlanVersion version, List<Measurement> baseline) {
		Map<String, Line> lines = new LinkedHashMap<>();
		List<RowCountGate> gates = new ArrayList<>();
		for (GateSpec gate : version.spec().gates()) {
			if (gate instanceof RowCountGate rowCount) {
				gates.add(rowCount);
			}
		}
		for (PhaseSpec phase : version.spec().phases()) {
			if (phase instanceof ImportPhase imported) {
				TableRef table = new TableRef(TableRef.Side.TARGET, imported.table(), version.spec().target());
				Optional<ChangeSet> changeSet = this.changeSets.latest(version.plan(), imported.id());
				Long source = changeSet.map(c -> c.totals().sourceRows()).orElse(null);
				Long projected = changeSet.map(c -> c.totals().projectedTargetRows()).orElse(null);
				Long dryRun = changeSet.map(ChangeSet::runId).orElse(null);
				lines.putIfAbsent(key(table), line(table, imported.id(), source, projected, dryRun, gates, baseline));
			}
		}
		for (RowCountGate gate : gates) {
			lines.putIfAbsent(key(gate.table()), line(gate.table(), null, null, null, null, gates, baseline));
		}
		for (PhaseSpec phase : version.spec().phases()) {
			if (phase instanceof PreflightPhase preflight) {
				for (TableRef table : preflight.count()) {
					lines.putIfAbsent(key(table), line(table, null, null, null, null, gates, baseline));
				}
			}
		}
		return List.copyOf(lines.values());
	}

	private Line line(TableRef table, String phase, Long source, Long projected, Long dryRun, List<RowCountGate> gates,
			List<Measurement> baseline) {
		boolean onSource = table.side() == TableRef.Side.SOURCE;
		Long now = count(table);
		Instant countedAt = this.live.get(key(table)).at();
		RowCountGate gate = gates.stream().filter(g -> key(g.table()).equals(key(table))).findFirst().orElse(null);
		Long expected = null;
		Long allowed = null;
		String expectedFrom = null;
		if (gate != null) {
			if (gate.expect() instanceof RowCountGate.FixedRows fixed) {
				expected = fixed.rows();
			}
			else if (gate.expect() instanceof RowCountGate.TableRows rows) {
				expected = count(rows.table());
				expectedFrom = rows.table().toString();
			}
			if (expected != null) {
				allowed = allowed(gate.tolerance(), expected);
			}
		}
		Long compared = projected != null ? projected : (onSource ? null : now);
		Long delta = compared != null && expected != null ? compared - expected : null;
		Long preflight = baseline.stream()
			.filter(m -> m.kind() == Measurement.Kind.TABLE && m.subject().equalsIgnoreCase(table.toString()))
			.map(Measurement::rows)
			.findFirst()
			.orElse(null);
		return new Line(table.toString(), phase, onSource ? now : source, onSource ? null : now, projected, dryRun,
				expected, expectedFrom, gate == null ? null : gate.id(), allowed,
				gate == null ? null : tolerance(gate.tolerance()), delta, preflight, countedAt);
	}

	private Long count(TableRef table) {
		String key = key(table);
		Instant now = this.clock.instant();
		Counted counted = this.live.get(key);
		Instant changed = this.since.get();
		if (counted == null || counted.at().plus(LIVE_FOR).isBefore(now)
				|| (changed != null && !counted.at().isAfter(changed))) {
			OptionalLong rows = this.connections.exists(table.connection())
					? this.connections.rowCount(table.connection(), table.table()) : OptionalLong.empty();
			counted = new Counted(rows.isPresent() ? rows.getAsLong() : null, now);
			this.live.put(key, counted);
		}
		return counted.rows();
	}

	static long allowed(Tolerance tolerance, long expected) {
		return tolerance.unit() == Tolerance.Unit.PERCENT
				? (long) Math.floor(Math.abs(expected) * tolerance.amount() / 100.0) : (long) tolerance.amount();
	}

	private static String tolerance(Tolerance tolerance) {
		String amount = tolerance.amount() == Math.rint(tolerance.amount()) ? String.valueOf((long) tolerance.amount())
				: String.valueOf(tolerance.amount());
		return tolerance.unit() == Tolerance.Unit.PERCENT ? amount + "%" : amount;
	}

	private static String key(TableRef table) {
		return table.connection() + "." + table.table().toLowerCase(Locale.ROOT);
	}

	private record Counted(Long rows, Instant at) {
	}

	/**
	 * One table's counts.
	 *
	 * @param table the table as the plan names it
	 * @param phase the import phase that writes it, or null
	 * @param source the source rows the latest dry run read (for a source table: its rows
	 * now)
	 * @param targetNow the rows the table has now, null when it cannot be counted
	 * @param projected the rows after an apply of the latest dry run
	 * @param dryRun the id of that dry run
	 * @param expected the rows the row-count gate expects
	 * @param expectedFrom the table the expected rows are counted on, or null for a
	 * number
	 * @param gate the row-count gate's id
	 * @param allowed how far from {@code expected} the count may be
	 * @param tolerance the tolerance as the plan writes it
	 * @param delta projected (or, before a dry run, current) rows minus expected rows
	 * @param baseline the rows the latest preflight counted
	 * @param countedAt when the source or target rows shown now were counted
	 */
	record Line(String table, String phase, Long source, Long targetNow, Long projected, Long dryRun, Long expected,
			String expectedFrom, String gate, Long allowed, String tolerance, Long delta, Long baseline,
			Instant countedAt) {

		/**
		 * Whether the delta is within the tolerance; null when there is nothing to
		 * compare.
		 */
		public Boolean within() {
			return this.delta == null || this.allowed == null ? null : Math.abs(this.delta) <= this.allowed;
		}

		/**
		 * Where the count lies on the band bar, 0..100: the band (expected ± allowed)
		 * spans 25..75, so a count twice the tolerance away sits at an end.
		 */
		public Double marker() {
			if (this.delta == null || this.allowed == null) {
				return null;
			}
			double span = Math.max(1, this.allowed);
			double position = 50 + 25 * (this.delta / span);
			return Math.max(1, Math.min(99, position));
		}

	}

}
