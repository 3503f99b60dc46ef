package dev.ferry.importing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ferry.run.RunCounts;
import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.changeset.Change;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeSet;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The import dry run on real databases: the same rows from a SQLite file, from H2 and
 * from PostgreSQL, compared with the same table on H2 and on PostgreSQL, by a composite
 * key whose first part is normalized. Every combination finds exactly the planted
 * changes, its counts add up, it leaves the target byte for byte as it was, and all of
 * them produce the same change set (the same sha256).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportDryRunIntegrationTests extends PostgresIntegrationTest {

	static final int ROWS = 3000;

	static final String[] REGIONS = { "NORTH", "SOUTH", "EAST", "WEST" };

	/** Rows only the target has; delete-missing deletes them. */
	static final int TARGET_ONLY = 25;

	static final DateTimeFormatter DOTTED = DateTimeFormatter.ofPattern("dd.MM.yyyy");

	@TempDir
	static Path files;

	@Value("${ferry.data-dir}")
	Path dataDir;

	@Autowired
	RunService runs;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	ChangeSetService changeSets;

	@Autowired
	MockMvc mvc;

	String h2Url;

	@BeforeAll
	void databases() throws Exception {
		Path sqlite = files.resolve("stock.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite)) {
			source(c, "TEXT", "INTEGER");
		}
		try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE matrix_source");
			s.execute("CREATE DATABASE matrix_target");
		}
		try (Connection c = DriverManager.getConnection(postgres().getJdbcUrl("postgres", "matrix_source"))) {
			source(c, "TEXT", "INTEGER");
		}
		try (Connection c = DriverManager.getConnection(postgres().getJdbcUrl("postgres", "matrix_target"))) {
			target(c);
		}
		String h2Source = "jdbc:h2:file:" + files.resolve("source").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(h2Source, "sa", "")) {
			source(c, "VARCHAR(100)", "INTEGER");
		}
		H2Login.grant(h2Source);
		this.h2Url = "jdbc:h2:file:" + files.resolve("target").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(this.h2Url, "sa", "")) {
			target(c);
		}
		H2Login.grant(this.h2Url);
		SystemActor.run(() -> {
			this.connections.create(
					new ConnectionCommand("matrix-sqlite", "jdbc:sqlite:" + sqlite.toAbsolutePath(), null, null, true));
			this.connections.create(new ConnectionCommand("matrix-pgsource",
					postgres().getJdbcUrl("postgres", "matrix_source"), "postgres", null, true));
			this.connections
				.create(new ConnectionCommand("matrix-h2source", h2Source, H2Login.USER, H2Login.PASSWORD, true));
			this.connections
				.create(new ConnectionCommand("matrix-h2", this.h2Url, H2Login.USER, H2Login.PASSWORD, false));
			this.connections.create(new ConnectionCommand("matrix-pgtarget",
					postgres().getJdbcUrl("postgres", "matrix_target"), "postgres", null, false));
		});
	}

	@ParameterizedTest(name = "{0} into {1}")
	@CsvSource({ "matrix-sqlite, matrix-h2", "matrix-sqlite, matrix-pgtarget", "matrix-pgsource, matrix-h2",
			"matrix-pgsource, matrix-pgtarget", "matrix-h2source, matrix-h2", "matrix-h2source, matrix-pgtarget" })
	void findsExactlyThePlantedChangesAndWritesNothing(String source, String target) throws Exception {
		String plan = "m-" + source.substring(7) + "-" + target.substring(7);
		save(plan, source, target);
		String before = checksum(target);

		RunView run = finished(SystemActor.call(() -> this.runs.request(plan, "import", RunMode.DRY_RUN)));

		assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(checksum(target)).as("the dry run wrote nothing to the target").isEqualTo(before);
		Expected expected = expected();
		RunCounts counts = run.counts();
		assertThat(counts.read()).isEqualTo(ROWS + 1 + TARGET_ONLY);
		assertThat(counts.read()).as("read = inserted + updated + unchanged + deleted + rejected")
			.isEqualTo(
					counts.inserted() + counts.updated() + counts.unchanged() + counts.deleted() + counts.rejected());
		assertThat(counts.inserted()).isEqualTo(expected.inserted());
		assertThat(counts.updated()).isEqualTo(expected.updated());
		assertThat(counts.unchanged()).isEqualTo(expected.unchanged());
		assertThat(counts.deleted()).isEqualTo(TARGET_ONLY);
		assertThat(counts.rejected()).isEqualTo(expected.rejected());

		ChangeSet changeSet = SystemActor.call(() -> this.changeSets.get(run.id()));
		assertThat(changeSet.sha256()).hasSize(64).isEqualTo(run.changeSetSha256());
		assertThat(changeSet.rowCount())
			.isEqualTo(counts.inserted() + counts.updated() + counts.deleted() + counts.rejected());
		assertThat(changeSet.totals().sourceRows()).isEqualTo(ROWS + 1);
		assertThat(changeSet.totals().projectedTargetRows())
			.isEqualTo(expected.targetRows() + counts.inserted() - counts.deleted());
		assertThat(SHAS.putIfAbsent("all", changeSet.sha256()) == null ? changeSet.sha256() : SHAS.get("all"))
			.as("every source and target combination gives the same change set")
			.isEqualTo(changeSet.sha256());

		// an update shows before and after of the changed column only
		Change update = firstOf(run.id(), ChangeOp.UPDATE, "north 8");
		assertThat(update.key()).containsEntry("region", "NORTH").containsEntry("code", 8L);
		assertThat(update.changed()).containsExactly("qty");
		assertThat(update.before()).containsEntry("qty", 29L);
		assertThat(update.after()).containsEntry("qty", 28L);

		// rejected rows say column, value and rule
		List<Change> rejected = all(run.id(), ChangeOp.REJECTED);
		assertThat(rejected).hasSize((int) expected.rejected());
		assertThat(rejected)
			.anySatisfy(change -> assertThat(change.reasons()).anySatisfy(reason -> assertThat(reason).satisfies(r -> {
				assertThat(r.column()).isEqualTo("price");
				assertThat(r.value()).isEqualTo("12,50");
				assertThat(r.rule()).isEqualTo("type decimal");
			})));
		assertThat(rejected).anySatisfy(change -> assertThat(change.reasons())
			.anySatisfy(reason -> assertThat(reason.rule()).isEqualTo("required")));
		assertThat(rejected).anySatisfy(change -> assertThat(change.reasons())
			.anySatisfy(reason -> assertThat(reason.rule()).isEqualTo("key-unique")));

		// the deletes are the target-only rows, with their before image
		List<Change> deletes = all(run.id(), ChangeOp.DELETE);
		assertThat(deletes).hasSize(TARGET_ONLY)
			.allSatisfy(change -> assertThat((Long) change.key().get("code")).isGreaterThanOrEqualTo(100_000L));

		Path reports = this.dataDir.resolve("reports")
			.resolve(plan)
			.resolve("import")
			.resolve(String.valueOf(run.id()));
		assertThat(reports.resolve("summary.json")).exists();
		assertThat(Files.readAllLines(reports.resolve("changes.csv"))).hasSize((int) changeSet.rowCount() + 1);
	}

	static final Map<String, String> SHAS = new java.util.concurrent.ConcurrentHashMap<>();

	@Test
	void whenTheSourceDatabaseOrdersKeysDifferentlyTheDryRunSortsThemItself() throws Exception {
		Path sqlite = files.resolve("words.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE words (word TEXT COLLATE NOCASE PRIMARY KEY, n INTEGER)");
			s.execute("INSERT INTO words VALUES ('apple', 1), ('Banana', 2), ('cherry', 3), ('Date', 4), ('eel', 5)");
		}
		try (Connection c = DriverManager.getConnection(this.h2Url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE words (word VARCHAR(20) PRIMARY KEY, n INTEGER)");
			s.execute("INSERT INTO words VALUES ('Banana', 2), ('Date', 40), ('apple', 1), ('fig', 6)");
		}
		SystemActor.run(() -> this.connections
			.create(new ConnectionCommand("words-sqlite", "jdbc:sqlite:" + sqlite.toAbsolutePath(), null, null, true)));
		String plan = """
				plan: words
				source: words-sqlite
				target: matrix-h2
				phases:
				  - id: import
				    kind: import
				    query: SELECT word, n FROM words
				    table: words
				    key: [word]
				    delete-missing: true
				    columns:
				      word: {}
				      n: { type: integer }
				gates: []
				""";
		SystemActor.run(() -> this.plans.save(null, plan.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));

		RunView run = finished(SystemActor.call(() -> this.runs.request("words", "import", RunMode.DRY_RUN)));

		assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(run.counts()).isEqualTo(new RunCounts(6, 2, 1, 2, 1, 0, 0));
		assertThat(SystemActor.call(() -> this.runs.log(run.id())).stream().map(RunLogLine::message))
			.anySatisfy(line -> assertThat(line).contains("did not come in key order")
				.contains("sorts the normalized source rows itself"));

		// the plan's status says so too
		this.mvc.perform(get("/api/v1/plans/words").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.phases[0].state").value("dry-run-ready"))
			.andExpect(jsonPath("$.phases[0].lastDryRun.id").value(run.id()))
			.andExpect(jsonPath("$.phases[0].lastDryRun.changeSetSha256").value(run.changeSetSha256()))
			.andExpect(jsonPath("$.phases[0].lastApply").doesNotExist());
	}

	private void save(String plan, String source, String target) {
		String yaml = """
				plan: %s
				source: %s
				target: %s
				phases:
				  - id: import
				    kind: import
				    query: SELECT region, code, name, qty, price, active, listed FROM stock
				    table: stock
				    key: [region, code]
				    delete-missing: true
				    columns:
				      region: { normalize: [trim, upper] }
				      code:   { type: integer }
				      name:   { normalize: [trim, collapse-spaces], required: true }
				      qty:    { type: integer, null-if: [""], default: "0" }
				      price:  { type: decimal }
				      active: { type: boolean }
				      listed: { type: date, format: dd.MM.yyyy }
				    batch-size: 500
				gates: []
				""".formatted(plan, source, target);
		SystemActor.run(() -> this.plans.save(null, yaml.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
	}

	// --- the planted data -------------------------------------------------------

	static String region(int i) {
		return REGIONS[i % 4];
	}

	static int code(int i) {
		return i / 4 + 1;
	}

	static boolean rejected(int i) {
		return i % 500 == 3 || i % 600 == 5 || i % 997 == 1;
	}

	static boolean inTarget(int i) {
		return i % 10 != 0;
	}

	static boolean differs(int i) {
		return i % 7 == 0;
	}

	static long qty(int i) {
		return i % 11 == 0 ? 0 : i % 50;
	}

	static LocalDate listed(int i) {
		return LocalDate.of(2020, 1, 1).plusDays(i);
	}

	/** The raw source row i: messy spellings the rules clean up, and planted failures. */
	static Object[] raw(int i) {
		String region = switch (i % 3) {
			case 0 -> region(i);
			case 1 -> " " + region(i).toLowerCase(Locale.ROOT) + " ";
			default -> region(i).charAt(0) + region(i).substring(1).toLowerCase(Locale.ROOT) + "\t";
		};
		String name = i % 600 == 5 ? null : (i % 5 == 0 ? "Item  " + i : " Item " + i);
		String qty = i % 11 == 0 ? "" : String.valueOf(i % 50);
		String price = i % 500 == 3 ? "12,50" : (i % 100) + ".50";
		String active = i % 997 == 1 ? "maybe" : (i % 2 == 0 ? "yes" : "N");
		return new Object[] { region, code(i), name, qty, price, active, listed(i).format(DOTTED) };
	}

	static void source(Connection c, String text, String integer) throws SQLException {
		try (Statement s = c.createStatement()) {
			s.execute("CREATE TABLE stock (region " + text + ", code " + integer + ", name " + text + ", qty " + text
					+ ", price " + text + ", active " + text + ", listed " + text + ")");
		}
		c.setAutoCommit(false);
		try (PreparedStatement insert = c.prepareStatement("INSERT INTO stock VALUES (?, ?, ?, ?, ?, ?, ?)")) {
			for (int i = 0; i < ROWS; i++) {
				Object[] row = raw(i);
				for (int k = 0; k < row.length; k++) {
					insert.setObject(k + 1, row[k]);
				}
				insert.addBatch();
			}
			// a second row for key (NORTH, 3): rejected as a duplicate key
			Object[] duplicate = raw(8);
			duplicate[0] = " north";
			for (int k = 0; k < duplicate.length; k++) {
				insert.setObject(k + 1, duplicate[k]);
			}
			insert.addBatch();
			insert.executeBatch();
		}
		c.commit();
		c.setAutoCommit(true);
	}

	static void target(Connection c) throws SQLException {
		try (Statement s = c.createStatement()) {
			s.execute("""
					CREATE TABLE stock (region VARCHAR(10) NOT NULL, code INTEGER NOT NULL, name VARCHAR(100),
					  qty INTEGER, price DECIMAL(10, 2), active BOOLEAN, listed DATE, note VARCHAR(50),
					  PRIMARY KEY (region, code))""");
		}
		c.setAutoCommit(false);
		try (PreparedStatement insert = c.prepareStatement("INSERT INTO stock VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
			for (int i = 0; i < ROWS; i++) {
				if (!inTarget(i)) {
					continue;
				}
				insert.setString(1, region(i));
				insert.setInt(2, code(i));
				insert.setString(3, "Item " + i);
				insert.setLong(4, qty(i) + (differs(i) ? 1 : 0));
				insert.setBigDecimal(5, new BigDecimal((i % 100) + ".50"));
				insert.setBoolean(6, i % 2 == 0);
				insert.setDate(7, Date.valueOf(listed(i)));
				insert.setString(8, "kept as is");
				insert.addBatch();
			}
			for (int j = 0; j < TARGET_ONLY; j++) {
				insert.setString(1, "NORTH");
				insert.setInt(2, 100_000 + j);
				insert.setString(3, "Gone " + j);
				insert.setLong(4, j);
				insert.setBigDecimal(5, BigDecimal.ONE);
				insert.setBoolean(6, true);
				insert.setDate(7, Date.valueOf(LocalDate.of(2019, 5, 1)));
				insert.setString(8, null);
				insert.addBatch();
			}
			insert.executeBatch();
		}
		c.commit();
		c.setAutoCommit(true);
	}

	record Expected(long inserted, long updated, long unchanged, long rejected, long targetRows) {
	}

	static Expected expected() {
		long inserted = 0;
		long updated = 0;
		long unchanged = 0;
		long rejected = 1; // the duplicate key
		long targetRows = TARGET_ONLY;
		for (int i = 0; i < ROWS; i++) {
			targetRows += inTarget(i) ? 1 : 0;
			if (rejected(i)) {
				rejected++;
			}
			else if (!inTarget(i)) {
				inserted++;
			}
			else if (differs(i)) {
				updated++;
			}
			else {
				unchanged++;
			}
		}
		return new Expected(inserted, updated, unchanged, rejected, targetRows);
	}

	// --- helpers ------------------------------------------------------------------

	private Change firstOf(long runId, ChangeOp op, String q) {
		ChangePage page = SystemActor
			.call(() -> this.changeSets.changes(runId, new ChangeFilter(op, null, q), null, 1));
		assertThat(page.items()).as("a %s row with key %s", op, q).isNotEmpty();
		return page.items().get(0);
	}

	private List<Change> all(long runId, ChangeOp op) {
		List<Change> all = new ArrayList<>();
		String after = null;
		do {
			String cursor = after;
			ChangePage page = SystemActor
				.call(() -> this.changeSets.changes(runId, new ChangeFilter(op, null, null), cursor, 7));
			all.addAll(page.items());
			after = page.next();
		}
		while (after != null);
		return all;
	}

	/** A sha256 of every row of the target's stock table in key order. */
	private String checksum(String connection) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		try (Connection c = SystemActor.call(() -> this.connections.dataSource(connection)).getConnection();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT * FROM stock ORDER BY region, code")) {
			int columns = rs.getMetaData().getColumnCount();
			Map<String, Object> row = new LinkedHashMap<>();
			while (rs.next()) {
				row.clear();
				for (int k = 1; k <= columns; k++) {
					row.put(rs.getMetaData().getColumnLabel(k), rs.getString(k));
				}
				digest.update(row.toString().getBytes(StandardCharsets.UTF_8));
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private RunView finished(RunView run) {
		return Await.finished(this.runs, run);
	}

}
