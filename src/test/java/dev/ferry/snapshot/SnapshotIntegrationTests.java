package dev.ferry.snapshot;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.gate.ApprovalService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.preflight.RowChecksum;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.ApiCalls;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.MovableClock;
import dev.ferry.support.PostgresIntegrationTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * Snapshot phases on all three databases (Ferry's store on PostgreSQL too): each copy's
 * rows and checksum equal the live table's, measured here independently; the
 * {@code snapshot-fresh} gate refuses an apply without a snapshot and with one too old on
 * Ferry's clock, and lets it through with a fresh one; the restore recipe of
 * {@code docs/operations.md} (a read-only connection to the copy, an import with
 * {@code delete-missing}) brings the table back row by row; admins download the files;
 * retention deletes them.
 */
@Import(MovableClock.class)
class SnapshotIntegrationTests extends PostgresIntegrationTest {

	static final Path FILES = Workspaces.temporaryFolder("ferry-snapshot-dbs");

	/**
	 * The data directory every context on the store shares: a snapshot run may be picked
	 * by the context of another class (see {@link PostgresIntegrationTest}).
	 */
	@Value("${ferry.data-dir}")
	Path data;

	@Autowired
	MockMvc mvc;

	@Autowired
	JsonMapper json;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	SnapshotService snapshots;

	@AfterEach
	void clockBack() {
		MovableClock.AHEAD.set(Duration.ZERO);
	}

	@Test
	void snapshotsAreExactOnEveryDatabaseGateAppliesAndRestoreATable() throws Exception {
		String sqlite = "jdbc:sqlite:" + FILES.resolve("app.sqlite").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(sqlite); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, label TEXT NOT NULL, note TEXT)");
			s.execute("CREATE TABLE audit_trail (id INTEGER PRIMARY KEY, what TEXT)");
			s.execute("CREATE VIEW labels AS SELECT label FROM events");
			s.execute("CREATE TRIGGER trail AFTER INSERT ON events BEGIN INSERT INTO audit_trail (what) "
					+ "VALUES ('event'); END");
			for (int i = 1; i <= 40; i++) {
				s.execute("INSERT INTO events VALUES (" + i + ", 'old " + i + "', "
						+ ((i % 3 == 0) ? "NULL" : "'note\t" + i + "'") + ")");
			}
		}
		String h2 = "jdbc:h2:file:" + FILES.resolve("legacy").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(h2, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, label VARCHAR(40) NOT NULL, "
					+ "price NUMERIC(10, 2), seen TIMESTAMP WITH TIME ZONE)");
			s.execute("INSERT INTO items SELECT x, 'Item ' || x, x * 1.25, "
					+ "TIMESTAMP WITH TIME ZONE '2026-01-01 10:00:00+01' + x * INTERVAL '1' HOUR FROM SYSTEM_RANGE(1, 50)");
			H2Login.grant(s);
		}
		try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("DROP DATABASE IF EXISTS snapdb");
			s.execute("CREATE DATABASE snapdb");
		}
		String pg = postgres().getJdbcUrl("postgres", "snapdb");
		try (Connection c = DriverManager.getConnection(pg, "postgres", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE orders (id integer PRIMARY KEY, note text, amount numeric(10,2), "
					+ "placed timestamptz, paid boolean, blob bytea)");
			s.execute("INSERT INTO orders SELECT x, CASE WHEN x % 4 = 0 THEN NULL ELSE E'line\\tone\\nline two \\\\ '"
					+ " || x END, x * 2.5, TIMESTAMPTZ '2026-02-01 00:00:00+00' + x * INTERVAL '1 day', x % 2 = 0, "
					+ "decode(lpad(to_hex(x), 4, '0'), 'hex') FROM generate_series(1, 120) x");
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("snap-sqlite", sqlite, null, null, false));
			this.connections.create(new ConnectionCommand("snap-h2", h2, H2Login.USER, H2Login.PASSWORD, true));
			this.connections.create(new ConnectionCommand("snap-pg", pg, "postgres", "", false));
			this.plans.save(null, """
					plan: snaps
					source: snap-h2
					target: snap-sqlite
					phases:
					  - id: backup
					    kind: snapshot
					    tables: [events, source.ITEMS]
					  - id: backup-pg
					    kind: snapshot
					    connection: snap-pg
					    tables: [orders]
					  - id: load
					    kind: import
					    query: SELECT id, label FROM items
					    table: events
					    key: [id]
					    columns:
					      id:    { type: integer }
					      label: { required: true }
					    gates: [fresh]
					gates:
					  - { id: fresh, check: snapshot-fresh, max-age: 1h }
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});

		// without a snapshot the apply is refused, and says which phase takes one
		Actors.approved(this.runs, this.approvals, "snaps", "load");
		JsonNode refused = call("operator", HttpMethod.POST, "/api/v1/plans/snaps/phases/load/runs",
				"{\"mode\": \"apply\"}", 409);
		assertThat(refused.path("reasons").toString())
			.contains("Gate fresh fails: no snapshot, needs a snapshot younger than 1 h 00 min.")
			.contains("No snapshot of target.events is kept (phases backup, backup-pg take them).");
		call("operator", HttpMethod.POST, "/api/v1/plans/snaps/phases/backup/runs", "{\"mode\": \"apply\"}", 409);

		// the snapshots: every copy equals its live table, measured here on its own
		RunView backup = Actors.succeeded(this.runs, this.approvals, "snaps", "backup", RunMode.DRY_RUN);
		RunView backupPg = Actors.succeeded(this.runs, this.approvals, "snaps", "backup-pg", RunMode.DRY_RUN);
		Snapshot taken = SystemActor.call(() -> this.snapshots.get(backup.id())).orElseThrow();
		assertThat(taken.tables()).extracting(SnapshotTable::table, SnapshotTable::engine, SnapshotTable::rows)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("events", "sqlite", 40L),
					org.assertj.core.groups.Tuple.tuple("ITEMS", "h2", 50L));
		String eventsLive = checksum(DriverManager.getConnection(sqlite), "events");
		assertThat(taken.tables().get(0).checksum()).isEqualTo(eventsLive)
			.isEqualTo(taken.tables().get(0).liveChecksum());
		assertThat(taken.tables().get(1).checksum())
			.isEqualTo(checksum(DriverManager.getConnection(h2, "sa", ""), "ITEMS"));
		SnapshotTable orders = SystemActor.call(() -> this.snapshots.get(backupPg.id())).orElseThrow().tables().get(0);
		assertThat(orders.engine()).isEqualTo("postgresql");
		assertThat(orders.rows()).isEqualTo(120);
		assertThat(orders.checksum()).isEqualTo(checksum(DriverManager.getConnection(pg, "postgres", ""), "orders"));
		assertThat(orders.columns()).contains("\"amount\" numeric(10,2)").contains("\"id\" integer NOT NULL");

		// the files: the SQLite copy holds only the table asked for; the H2 copy reads
		// with its reader login; the PostgreSQL copy is COPY's text, one line a row
		Path folder = this.data.resolve("snapshots").resolve(Long.toString(backup.id()));
		try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("snap-sqlite.sqlite"));
				Statement s = copy.createStatement();
				ResultSet rs = s.executeQuery("SELECT type || ' ' || name FROM sqlite_master ORDER BY 1")) {
			List<String> objects = new ArrayList<>();
			while (rs.next()) {
				objects.add(rs.getString(1));
			}
			assertThat(objects).containsExactly("table events");
		}
		try (Connection copy = DriverManager.getConnection(
				"jdbc:h2:file:" + folder.resolve("snap-h2") + ";ACCESS_MODE_DATA=r", "SNAPSHOT_READER", "")) {
			assertThat(checksum(copy, "ITEMS")).isEqualTo(taken.tables().get(1).checksum());
		}
		Path copyFile = this.data.resolve("snapshots")
			.resolve(Long.toString(backupPg.id()))
			.resolve("snap-pg.orders.copy.gz");
		try (InputStream in = new GZIPInputStream(Files.newInputStream(copyFile))) {
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			assertThat(text.lines()).hasSize(120);
			assertThat(text).contains("line\\tone\\nline two \\\\ 1\t").contains("\\N");
		}

		// listed with its size; only an admin downloads, and gets the file's bytes
		JsonNode listed = call("viewer", HttpMethod.GET, "/api/v1/plans/snaps/snapshots", null, 200);
		assertThat(listed).hasSize(2);
		assertThat(listed.get(0).path("runId").asLong()).isEqualTo(backupPg.id());
		assertThat(listed.get(0).path("bytes").asLong()).isEqualTo(Files.size(copyFile));
		String download = "/api/v1/snapshots/" + backupPg.id() + "/files/snap-pg.orders.copy.gz";
		call("operator", HttpMethod.GET, download, null, 403);
		MockHttpServletResponse file = this.mvc
			.perform(request(HttpMethod.GET, download).with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD)))
			.andReturn()
			.getResponse();
		assertThat(file.getStatus()).isEqualTo(200);
		assertThat(file.getContentAsByteArray()).isEqualTo(Files.readAllBytes(copyFile));
		assertThat(file.getHeader("Content-Disposition")).contains("snapshot-" + backupPg.id() + "-snap-pg.orders");
		call("admin", HttpMethod.GET, "/api/v1/snapshots/" + backupPg.id() + "/files/secret.key", null, 404);

		// too old on Ferry's clock: refused with the age; fresh again: the apply runs
		MovableClock.AHEAD.set(Duration.ofHours(2));
		assertThat(
				call("operator", HttpMethod.POST, "/api/v1/plans/snaps/phases/load/runs", "{\"mode\": \"apply\"}", 409)
					.path("reasons")
					.toString())
			.contains("Too old: target.events (2 h 00 min old, snapshot #" + backup.id() + ")");
		MovableClock.AHEAD.set(Duration.ZERO);
		RunView apply = Await.finished(this.runs,
				SystemActor.call(() -> this.runs.request("snaps", "load", RunMode.APPLY)));
		assertThat(apply.state()).as(apply.error()).isEqualTo(RunState.SUCCEEDED);
		assertThat(rows(sqlite)).hasSize(50).contains("1|Item 1|note\t1");

		// the restore recipe: a read-only connection to the copy, an import of it with
		// delete-missing, its own dry run, approval and apply
		SnapshotService.Restore source = Actors.as("admin", dev.ferry.security.Role.ADMIN,
				() -> this.snapshots.restore(taken.tables().get(0)));
		assertThat(source.jdbcUrl()).isEqualTo("jdbc:sqlite:" + folder.resolve("snap-sqlite.sqlite").toAbsolutePath());
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("events-snapshot", source.jdbcUrl(), null, null, true));
			this.plans.save(null, """
					plan: restore-events
					source: events-snapshot
					target: snap-sqlite
					phases:
					  - id: restore
					    kind: import
					    query: SELECT id, label, note FROM events
					    table: events
					    key: [id]
					    delete-missing: true
					    columns:
					      id:    { type: integer }
					      label: { required: true }
					      note:  {}
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
		RunView dryRun = Actors.succeeded(this.runs, this.approvals, "restore-events", "restore", RunMode.DRY_RUN);
		assertThat(dryRun.counts().updated()).isEqualTo(40);
		assertThat(dryRun.counts().deleted()).isEqualTo(10);
		Actors.succeeded(this.runs, this.approvals, "restore-events", "restore", RunMode.APPLY);
		assertThat(rows(sqlite)).isEqualTo(rows("jdbc:sqlite:" + folder.resolve("snap-sqlite.sqlite")));
		assertThat(checksum(DriverManager.getConnection(sqlite), "events")).isEqualTo(eventsLive);

		// retention: after its 14 days the files are gone and the gate has nothing to go
		// by
		MovableClock.AHEAD.set(Duration.ofDays(15));
		assertThat(Actors.as("admin", dev.ferry.security.Role.ADMIN, () -> this.snapshots.expire())).isEqualTo(2);
		assertThat(folder).doesNotExist();
		call("admin", HttpMethod.GET, download, null, 404);
		assertThat(call("viewer", HttpMethod.GET, "/api/v1/snapshots/" + backup.id(), null, 200).path("expiredAt")
			.isNull()).isFalse();
	}

	/** A table's rows as {@code id|label|note} lines, in key order. */
	private static List<String> rows(String url) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Connection c = DriverManager.getConnection(url);
				PreparedStatement s = c.prepareStatement("SELECT id, label, note FROM events ORDER BY id");
				ResultSet rs = s.executeQuery()) {
			while (rs.next()) {
				rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
			}
		}
		return rows;
	}

	/**
	 * The preflight's checksum of a table, computed here on a connection of the test's
	 * own.
	 */
	private static String checksum(Connection connection, String table) throws SQLException {
		try (connection;
				PreparedStatement s = connection.prepareStatement("SELECT * FROM \"" + table + "\"");
				ResultSet rs = s.executeQuery()) {
			int[] order = RowChecksum.columnOrder(rs.getMetaData());
			RowChecksum checksum = new RowChecksum();
			while (rs.next()) {
				checksum.add(rs, order);
			}
			return checksum.unordered();
		}
	}

	private JsonNode call(String user, HttpMethod method, String path, String body, int expected) throws Exception {
		return new ApiCalls(this.mvc, this.json).call(user, method, path, body, expected);
	}

}
