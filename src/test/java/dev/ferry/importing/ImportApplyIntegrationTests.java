package dev.ferry.importing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.gate.ApprovalService;
import dev.ferry.support.Actors;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.StoredChange;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.problem.RefusedException;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.H2Login;
import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Apply and rollback of an import on H2 and PostgreSQL targets (Ferry's store on
 * PostgreSQL): the apply makes the target exactly "target + change set", row by row,
 * across several batches; a second dry run finds nothing left to do; the rollback gives
 * back every table byte for byte (a column the plan does not know, and deleted rows,
 * included); an apply after the rollback works; a row changed between dry run and apply
 * stops the apply as a conflict naming its key, with nothing of the batch left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportApplyIntegrationTests extends PostgresIntegrationTest {

	static final int ROWS = 300;

	@TempDir
	static Path files;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	ChangeSetService changeSets;

	String h2Url;

	String pgUrl;

	String sqliteTargetUrl;

	@BeforeAll
	void databases() throws Exception {
		Path sqlite = files.resolve("apply.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite)) {
			try (Statement s = c.createStatement()) {
				s.execute("CREATE TABLE parts (plant TEXT, code INTEGER, label TEXT, weight TEXT)");
			}
			c.setAutoCommit(false);
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO parts VALUES (?, ?, ?, ?)")) {
				for (int i = 0; i < ROWS; i++) {
					insert.setString(1, " " + plant(i).toLowerCase() + " ");
					insert.setInt(2, code(i));
					insert.setString(3, i % 97 == 5 ? null : label(i));
					insert.setString(4, (i % 50) + ".5");
					insert.addBatch();
				}
				insert.executeBatch();
			}
			c.commit();
		}
		try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE apply_target");
		}
		this.pgUrl = postgres().getJdbcUrl("postgres", "apply_target");
		this.h2Url = "jdbc:h2:file:" + files.resolve("apply-target").toAbsolutePath();
		H2Login.grant(this.h2Url);
		Path sqliteTarget = files.resolve("apply-target.db");
		this.sqliteTargetUrl = "jdbc:sqlite:" + sqliteTarget.toAbsolutePath();
		DriverManager.getConnection(this.sqliteTargetUrl).close();
		SystemActor.run(() -> {
			this.connections.create(
					new ConnectionCommand("apply-sqlite", "jdbc:sqlite:" + sqlite.toAbsolutePath(), null, null, true));
			this.connections
				.create(new ConnectionCommand("apply-h2", this.h2Url, H2Login.USER, H2Login.PASSWORD, false));
			this.connections.create(new ConnectionCommand("apply-pg", this.pgUrl, "postgres", null, false));
			this.connections
				.create(new ConnectionCommand("apply-sqlite-target", this.sqliteTargetUrl, null, null, false));
		});
	}

	static String plant(int i) {
		return i % 2 == 0 ? "NORTH" : "SOUTH";
	}

	static int code(int i) {
		return i / 2 + 1;
	}

	/** Labels, some with what PostgreSQL's COPY text format must escape. */
	static String label(int i) {
		return i % 33 == 0 ? "Part " + i + "\twith a \\ tab\tand\nlines, 'quotes' \"and\" \\N" : "Part " + i;
	}

	/** Fills the target: most source rows, some different, some only in the target. */
	void target(String connection, String table) throws Exception {
		try (Connection c = open(connection); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE " + table + " (plant VARCHAR(10) NOT NULL, code INTEGER NOT NULL, "
					+ "label VARCHAR(80) NOT NULL, weight DECIMAL(8, 2), note VARCHAR(40), "
					+ "PRIMARY KEY (plant, code))");
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?)")) {
				for (int i = 0; i < ROWS; i++) {
					if (i % 10 == 0) {
						continue; // new in the source: an insert
					}
					insert.setString(1, plant(i));
					insert.setInt(2, code(i));
					insert.setString(3, i % 7 == 0 ? "Old " + i : "Part " + i);
					insert.setBigDecimal(4, new java.math.BigDecimal((i % 50) + ".50"));
					insert.setString(5, "kept " + i);
					insert.executeUpdate();
				}
				for (int j = 0; j < 12; j++) {
					insert.setString(1, "EAST");
					insert.setInt(2, 1000 + j);
					insert.setString(3, "Gone " + j);
					insert.setBigDecimal(4, null);
					insert.setString(5, "only in the target " + j);
					insert.executeUpdate();
				}
			}
		}
	}

	void plan(String plan, String target, String table) {
		String yaml = """
				plan: %s
				source: apply-sqlite
				target: %s
				phases:
				  - id: import
				    kind: import
				    query: SELECT plant, code, label, weight FROM parts
				    table: %s
				    key: [plant, code]
				    delete-missing: true
				    columns:
				      plant:  { normalize: [trim, upper] }
				      code:   { type: integer }
				      label:  { required: true }
				      weight: { type: decimal }
				    batch-size: 40
				gates: []
				""".formatted(plan, target, table);
		SystemActor.run(() -> this.plans.save(null, yaml.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
	}

	/**
	 * The rollback gives the table back only if nothing else changed it meanwhile: the
	 * checksum after the undo must equal the one from right before the apply. A column
	 * the plan does not touch, changed by hand after the apply, makes the rollback say so
	 * (on PostgreSQL the checksum is computed by the database, elsewhere streamed).
	 */
	@ParameterizedTest
	@ValueSource(strings = { "apply-pg", "apply-h2" })
	void aRollbackNoticesARowChangedBesideTheApply(String target) throws Exception {
		String plan = "cs-" + target.substring(6);
		target(target, "parts_cs");
		plan(plan, target, "parts_cs");
		run(plan, RunMode.DRY_RUN);
		RunView apply = run(plan, RunMode.APPLY);
		assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(SystemActor.call(() -> this.runs.log(apply.id()))).extracting(RunLogLine::message)
			.anySatisfy(line -> assertThat(line.toLowerCase(java.util.Locale.ROOT))
				.startsWith("checksum of parts_cs before the apply: " + (target.equals("apply-pg") ? "pg1:" : "")));
		try (Connection c = open(target); Statement s = c.createStatement()) {
			assertThat(
					s.executeUpdate("UPDATE parts_cs SET note = 'changed by hand' WHERE plant = 'SOUTH' AND code = 1"))
				.isOne();
		}

		RunView rollback = finished(SystemActor.call(() -> this.runs.rollback(apply.id())));

		assertThat(rollback.state()).isEqualTo(RunState.FAILED);
		assertThat(rollback.error()).contains("the table was also changed by something else");
	}

	@ParameterizedTest
	@ValueSource(strings = { "apply-h2", "apply-pg", "apply-sqlite-target" })
	void applyWritesExactlyTheChangeSetAndRollbackGivesTheTableBack(String target) throws Exception {
		String plan = "ap-" + target.substring(6);
		target(target, "parts");
		plan(plan, target, "parts");
		Map<String, String> before = rows(target, "parts");

		RunView dryRun = run(plan, RunMode.DRY_RUN);
		// the inserts: i % 10 == 0 (no rejected row, i % 97 == 5, is among them)
		assertThat(dryRun.counts().inserted()).isEqualTo(30);
		assertThat(dryRun.counts().deleted()).isEqualTo(12);
		long updates = dryRun.counts().updated();
		assertThat(updates).isPositive();
		assertThat(dryRun.counts().rejected()).isEqualTo(4);

		RunView apply = run(plan, RunMode.APPLY);
		assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(apply.counts().inserted()).isEqualTo(30);
		assertThat(apply.counts().updated()).isEqualTo(updates);
		assertThat(apply.counts().deleted()).isEqualTo(12);
		assertThat(rows(target, "parts")).as("target + change set, row by row").isEqualTo(expected(before));

		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request(plan, "import", RunMode.APPLY)))
			.as("a change set is applied once")
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining("Apply #" + apply.id() + " of phase import stands; roll it back first.");
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request(plan, "import", RunMode.DRY_RUN)))
			.as("the phase runs again after its rollback")
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining(
					"Apply #" + apply.id() + " of phase import stands: roll it back before a new dry run.");

		RunView rollback = finished(SystemActor.call(() -> this.runs.rollback(apply.id())));
		assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(rows(target, "parts")).as("every row and column as before the apply").isEqualTo(before);
		assertThat(SystemActor.call(() -> this.runs.get(apply.id())).state()).isEqualTo(RunState.ROLLED_BACK);
		assertThat(SystemActor.call(() -> this.runs.log(rollback.id()))).extracting(RunLogLine::message)
			.anySatisfy(line -> assertThat(line).contains("the same as right before apply #" + apply.id()));

		// the approval was spent by the apply: dry run again
		RunView fresh = run(plan, RunMode.DRY_RUN);
		assertThat(fresh.counts().inserted()).isEqualTo(30);
		RunView reapply = run(plan, RunMode.APPLY);
		assertThat(reapply.state()).as(String.valueOf(reapply.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(rows(target, "parts")).isEqualTo(expected(before));
	}

	@ParameterizedTest
	@ValueSource(strings = { "apply-h2", "apply-pg", "apply-sqlite-target" })
	void aRowChangedSinceTheDryRunStopsTheApplyAndNothingOfItsBatchRemains(String target) throws Exception {
		String plan = "cf-" + target.substring(6);
		target(target, "stock");
		plan(plan, target, "stock");
		RunView dryRun = run(plan, RunMode.DRY_RUN);
		assertThat(dryRun.state()).isEqualTo(RunState.SUCCEEDED);
		// an update the dry run found (NORTH 4 is row 6: i % 7 != 0, so take row 14: "Old
		// 14")
		try (Connection c = open(target); Statement s = c.createStatement()) {
			assertThat(
					s.executeUpdate("UPDATE stock SET label = 'Edited meanwhile' WHERE plant = 'NORTH' AND code = 8"))
				.isEqualTo(1);
		}
		Map<String, String> before = rows(target, "stock");

		RunView apply = run(plan, RunMode.APPLY);

		assertThat(apply.state()).isEqualTo(RunState.FAILED);
		assertThat(apply.counts().conflicts()).isEqualTo(1);
		assertThat(apply.error()).contains("Conflict", "plant NORTH, code 8",
				"label was \"Old 14\" in the dry run, is \"Edited meanwhile\" now");
		assertThat(rows(target, "stock")).as("nothing of the refused batch remains").isEqualTo(before);
	}

	/**
	 * Into an empty table every batch is inserts only: on PostgreSQL with a unique key
	 * they are copied straight into the table (the key's index is the drift check),
	 * without one through the staging table. Either way a key inserted since the dry run
	 * is a conflict that names it, the batches before it stay written and nothing of its
	 * own batch remains; they stand until they are rolled back, and the apply runs again
	 * after a new dry run.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "apply-pg:keyed", "apply-pg:unkeyed", "apply-h2:keyed", "apply-sqlite-target:keyed" })
	void anInsertOnlyApplyRefusesAKeyInsertedSinceTheDryRun(String variant) throws Exception {
		String target = variant.substring(0, variant.indexOf(':'));
		boolean keyed = variant.endsWith(":keyed");
		String table = "empty_" + (keyed ? "k" : "u");
		String plan = "io-" + target.substring(6) + (keyed ? "-keyed" : "-unkeyed");
		try (Connection c = open(target); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE " + table + " (plant VARCHAR(10) NOT NULL, code INTEGER NOT NULL, "
					+ "label VARCHAR(80) NOT NULL, weight DECIMAL(8, 2), note VARCHAR(40)"
					+ (keyed ? ", PRIMARY KEY (plant, code))" : ")"));
		}
		plan(plan, target, table);
		RunView dryRun = run(plan, RunMode.DRY_RUN);
		assertThat(dryRun.counts().inserted()).isEqualTo(ROWS - 4);
		assertThat(dryRun.counts().rejected()).isEqualTo(4);

		// a key of the change set's fourth batch (batch-size 40) appears meanwhile
		List<StoredChange> changes = SystemActor.call(() -> this.changeSets.stored(dryRun.id(), 0, ROWS));
		StoredChange planted = changes.get(3 * 40 + 7);
		assertThat(planted.op()).isEqualTo(ChangeOp.INSERT);
		try (Connection c = open(target);
				PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, 'Meanwhile', "
						+ "NULL, 'inserted by someone else')")) {
			insert.setString(1, planted.key().get(0));
			insert.setInt(2, Integer.parseInt(planted.key().get(1)));
			assertThat(insert.executeUpdate()).isEqualTo(1);
		}

		RunView apply = run(plan, RunMode.APPLY);

		assertThat(apply.state()).isEqualTo(RunState.FAILED);
		assertThat(apply.counts().conflicts()).isEqualTo(1);
		assertThat(apply.error()).contains("Conflict",
				"plant " + planted.key().get(0) + ", code " + planted.key().get(1),
				"the dry run found no such row, and now there is one");
		Map<String, String> expected = new TreeMap<>();
		for (StoredChange change : changes.subList(0, 3 * 40)) {
			if (change.op() == ChangeOp.INSERT) {
				expected.put(change.key().get(0) + "|" + change.key().get(1), String.join("|", change.after()));
			}
		}
		expected.put(planted.key().get(0) + "|" + planted.key().get(1),
				planted.key().get(0) + "|" + planted.key().get(1) + "|Meanwhile|null");
		assertThat(rows(target, table, false)).as("the three batches before the conflict, and the planted row")
			.isEqualTo(expected);

		// the batches before the conflict stand: nothing runs again until they are rolled
		// back, which gives the table back as it was right before the apply (with the
		// someone else's row); then that row is cleared and the phase runs again
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request(plan, "import", RunMode.DRY_RUN)))
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining("Apply #" + apply.id()
					+ " of phase import failed after committing part of its batches, which stand");
		RunView undone = finished(SystemActor.call(() -> this.runs.rollback(apply.id())));
		assertThat(undone.state()).as(String.valueOf(undone.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(rows(target, table, false)).as("the failed apply's batches undone")
			.containsOnlyKeys(planted.key().get(0) + "|" + planted.key().get(1));
		try (Connection c = open(target); Statement s = c.createStatement()) {
			s.execute("DELETE FROM " + table + " WHERE label = 'Meanwhile'");
		}
		RunView again = run(plan, RunMode.DRY_RUN);
		RunView reapply = run(plan, RunMode.APPLY);
		assertThat(reapply.state()).as(String.valueOf(reapply.error())).isEqualTo(RunState.SUCCEEDED);
		Map<String, String> all = new TreeMap<>();
		for (StoredChange change : SystemActor.call(() -> this.changeSets.stored(again.id(), 0, ROWS))) {
			if (change.op() == ChangeOp.INSERT) {
				all.put(change.key().get(0) + "|" + change.key().get(1), String.join("|", change.after()));
			}
		}
		assertThat(all).hasSize(ROWS - 4);
		assertThat(rows(target, table, false)).as("every insert of the change set, row by row").isEqualTo(all);
		RunView rollback = finished(SystemActor.call(() -> this.runs.rollback(reapply.id())));
		assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(rows(target, table, false)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "apply-h2" })
	void anApplyNeedsASucceededDryRunOfTheCurrentPlan(String target) throws Exception {
		target(target, "fresh");
		plan("needs-dry-run", target, "fresh");
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request("needs-dry-run", "import", RunMode.APPLY)))
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining("has no dry run");
	}

	/**
	 * What the target must hold after the apply: the source's rows by the rules, kept
	 * notes.
	 */
	private static Map<String, String> expected(Map<String, String> before) {
		Map<String, String> expected = new TreeMap<>();
		for (int i = 0; i < ROWS; i++) {
			String key = plant(i) + "|" + code(i);
			if (i % 97 == 5) {
				// rejected: the target row, if any, is left as it was
				if (before.containsKey(key)) {
					expected.put(key, before.get(key));
				}
				continue;
			}
			String note = (i % 10 == 0) ? null : "kept " + i;
			expected.put(key, plant(i) + "|" + code(i) + "|" + label(i) + "|" + (i % 50) + ".5|" + note);
		}
		return expected;
	}

	/** Every row of the table, by key, as text: plant|code|label|weight|note. */
	private Map<String, String> rows(String connection, String table) throws Exception {
		return rows(connection, table, true);
	}

	/**
	 * Every row of the table by key, as text: plant|code|label|weight, then |note if
	 * asked; the weight as the change set spells it.
	 */
	private Map<String, String> rows(String connection, String table, boolean note) throws Exception {
		Map<String, String> rows = new TreeMap<>();
		try (Connection c = open(connection);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT plant, code, label, weight, note FROM " + table)) {
			while (rs.next()) {
				java.math.BigDecimal weight = rs.getBigDecimal(4);
				List<String> values = new ArrayList<>(List.of(rs.getString(1), rs.getString(2), rs.getString(3),
						weight == null ? "null" : weight.stripTrailingZeros().toPlainString()));
				if (note) {
					values.add(String.valueOf(rs.getString(5)));
				}
				rows.put(rs.getString(1) + "|" + rs.getInt(2), String.join("|", values));
			}
		}
		return rows;
	}

	private Connection open(String connection) throws Exception {
		switch (connection) {
			case "apply-h2":
				return DriverManager.getConnection(this.h2Url, "sa", "");
			case "apply-sqlite-target":
				return DriverManager.getConnection(this.sqliteTargetUrl);
			default:
				return DriverManager.getConnection(this.pgUrl, "postgres", "");
		}
	}

	private RunView run(String plan, RunMode mode) {
		return finished((mode == RunMode.APPLY) ? Actors.requestApply(this.runs, this.approvals, plan, "import")
				: SystemActor.call(() -> this.runs.request(plan, "import", mode)));
	}

	private RunView finished(RunView run) {
		return Await.finished(this.runs, run);
	}

}
