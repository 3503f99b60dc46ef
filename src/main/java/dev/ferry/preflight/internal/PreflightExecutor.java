package dev.ferry.preflight.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionKind;
import dev.ferry.connection.ConnectionService;
import dev.ferry.connection.ReadQuery;
import dev.ferry.connection.ReadingConnection;
import dev.ferry.plan.spec.GateSpec;
import dev.ferry.plan.spec.PhaseSpec;
import dev.ferry.plan.spec.PreflightPhase;
import dev.ferry.plan.spec.QueryUnchangedGate;
import dev.ferry.plan.spec.TableRef;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.BatchOutcome;
import dev.ferry.preflight.Measurement;
import dev.ferry.preflight.RowChecksum;
import dev.ferry.run.PhaseExecutor;
import dev.ferry.run.RunContext;
import dev.ferry.run.RunCounts;
import dev.ferry.run.RunMode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The preflight phase: row counts and order-independent checksums of the listed tables,
 * and the baselines of every query-unchanged gate of the plan, one measurement per batch.
 * It only reads (streamed, with a fetch size) and writes nothing but its measurements in
 * Ferry's store.
 */
@Component
class PreflightExecutor implements PhaseExecutor {

	static final int FETCH_SIZE = 1000;

	private final ConnectionService connections;

	private final JdbcClient store;

	private final Clock clock;

	PreflightExecutor(ConnectionService connections, JdbcClient store, Clock clock) {
		this.connections = connections;
		this.store = store;
		this.clock = clock;
	}

	@Override
	public boolean supports(PhaseSpec phase, RunMode mode) {
		return phase instanceof PreflightPhase && mode == RunMode.DRY_RUN;
	}

	@Override
	public Long total(RunContext run) {
		return (long) items(run).size();
	}

	@Override
	public BatchOutcome runBatch(RunContext run, String checkpoint) {
		List<Item> items = items(run);
		int index = checkpoint == null ? 0 : Integer.parseInt(checkpoint);
		if (index >= items.size()) {
			run.log("Nothing to measure.");
			return BatchOutcome.last(0, RunCounts.NONE);
		}
		Item item = items.get(index);
		Measured measured = measure(item);
		this.store.sql("""
				INSERT INTO measurements (run_id, seq, kind, subject, connection, row_count, checksum, measured_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				""")
			.params(run.runId(), index + 1, item.query() == null ? "table" : "query", item.subject(), item.connection(),
					measured.rows(), measured.checksum(),
					OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.update();
		run.log((item.query() == null ? "Measured " + item.subject()
				: "Baseline of query-unchanged gate " + item.subject()) + " on " + item.connection() + ": "
				+ String.format(Locale.ROOT, "%,d", measured.rows()) + " rows"
				+ (measured.checksum() == null ? "" : ", checksum " + measured.checksum()) + ".");
		boolean last = index + 1 >= items.size();
		return new BatchOutcome(last ? null : String.valueOf(index + 1), 1, RunCounts.NONE, last);
	}

	/** A query measured now: its rows and its ordered checksum. */
	Measurement measureQuery(String connection, String subject, String query) {
		Measured measured = measure(new Item(subject, connection, null, false, query));
		return new Measurement(0, Measurement.Kind.QUERY, subject, connection, measured.rows(), measured.checksum(),
				this.clock.instant());
	}

	private Measured measure(Item item) {
		DataSource dataSource = this.connections.dataSource(item.connection());
		Connection connection = null;
		try {
			// a query-unchanged gate's query is one statement, read in a transaction that
			// is read-only where the database has them and rolled back anyway
			String query = (item.query() != null) ? ReadQuery.statement(item.query()) : null;
			connection = ReadingConnection.open(dataSource);
			if (query != null) {
				return checksum(connection, query, true);
			}
			String table = ConnectionKind.quote(connection, resolve(item));
			if (item.checksum()) {
				return checksum(connection, "SELECT * FROM " + table, false);
			}
			try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM " + table);
					ResultSet rs = statement.executeQuery()) {
				rs.next();
				return new Measured(rs.getLong(1), null);
			}
		}
		catch (SQLException | RefusedException ex) {
			throw new IllegalStateException(
					"Measuring " + item.subject() + " on " + item.connection() + " failed: " + ex.getMessage(), ex);
		}
		finally {
			ReadingConnection.release(connection);
		}
	}

	private static Measured checksum(Connection connection, String sql, boolean ordered) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
				ResultSet.CONCUR_READ_ONLY)) {
			statement.setFetchSize(FETCH_SIZE);
			try (ResultSet rs = statement.executeQuery()) {
				int[] order = ordered ? RowChecksum.naturalOrder(rs.getMetaData())
						: RowChecksum.columnOrder(rs.getMetaData());
				RowChecksum checksum = new RowChecksum();
				while (rs.next()) {
					checksum.add(rs, order);
				}
				return new Measured(checksum.rows(), ordered ? checksum.ordered() : checksum.unordered());
			}
		}
	}

	/** The table's name as the database spells it (H2 upper-cases unquoted names). */
	private String resolve(Item item) {
		ConnectionCatalog catalog = this.connections.catalog(item.connection())
			.orElseThrow(() -> new RefusedException("run.unreachable",
					"Connection " + item.connection() + " cannot be reached.", item.connection()));
		return catalog.table(item.table())
			.map(ConnectionCatalog.Table::name)
			.orElseThrow(() -> new RefusedException("run.noTable",
					"Table " + item.table() + " does not exist on connection " + item.connection() + ".", item.table(),
					item.connection()));
	}

	/**
	 * The measurements in the order they are taken: tables as listed, then the baselines.
	 */
	static List<Item> items(RunContext run) {
		PreflightPhase phase = (PreflightPhase) run.phase();
		Map<String, Item> tables = new LinkedHashMap<>();
		for (TableRef ref : phase.count()) {
			tables.putIfAbsent(key(ref), new Item(ref.toString(), ref.connection(), ref.table(), false, null));
		}
		for (TableRef ref : phase.checksum()) {
			tables.put(key(ref), new Item(ref.toString(), ref.connection(), ref.table(), true, null));
		}
		// snapshot tables are copied into the undo ledger before the first apply; their
		// checksum
		// here is the baseline that proves the copy and a restore exact
		for (TableRef ref : phase.snapshot()) {
			tables.put(key(ref), new Item(ref.toString(), ref.connection(), ref.table(), true, null));
		}
		List<Item> items = new ArrayList<>(tables.values());
		for (GateSpec gate : run.plan().spec().gates()) {
			if (gate instanceof QueryUnchangedGate query) {
				items.add(new Item(query.id(), query.on(), null, false, query.query()));
			}
		}
		return items;
	}

	private static String key(TableRef ref) {
		return ref.connection() + "." + ref.table().toLowerCase(Locale.ROOT);
	}

	record Item(String subject, String connection, String table, boolean checksum, String query) {
	}

	record Measured(long rows, String checksum) {
	}

}
