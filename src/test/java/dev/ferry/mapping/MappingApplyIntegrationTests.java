package dev.ferry.mapping;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ferry.gate.ApprovalService;
import dev.ferry.support.Actors;
import dev.ferry.changeset.ChangeFilter;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangePage;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Await;
import dev.ferry.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A mapping's apply on a PostgreSQL target (Ferry's store on PostgreSQL too): the
 * {@code into} table becomes exactly the map as the decisions stand (auto items, picks,
 * nothing for excluded and open items; a stale row deleted, a wrong one corrected, a
 * column the map does not name kept), in several batches; the rollback gives the table
 * back exactly; a second apply after another decision writes only what changed, and its
 * rollback gives back the first apply's map.
 */
class MappingApplyIntegrationTests extends PostgresIntegrationTest {

	/** Old records 1..60; new record 1000 + i for each but every tenth. */
	static final int OLD = 60;

	@Autowired
	ConnectionService connections;

	@Autowired
	PlanService plans;

	@Autowired
	RunService runs;

	@Autowired
	ApprovalService approvals;

	@Autowired
	MappingService mappings;

	@Autowired
	ChangeSetService changeSets;

	String url;

	@Test
	void applyWritesTheMapAsItStandsAndRollbackGivesTheTableBack() throws Exception {
		databaseAndPlan();
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request("people-pg", "map", RunMode.APPLY)))
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining("Phase map has no dry run");

		RunView dryRun = run(RunMode.DRY_RUN);
		assertThat(dryRun.state()).as(String.valueOf(dryRun.error())).isEqualTo(RunState.SUCCEEDED);
		Coverage coverage = SystemActor.call(() -> this.mappings.coverage("people-pg", "map")).orElseThrow();
		// every tenth has no candidate; every seventh has two equal ones
		assertThat(coverage.unresolved()).isEqualTo(6);
		assertThat(coverage.ambiguous()).isEqualTo(8);
		assertThat(coverage.auto()).isEqualTo(46);
		// a pick among the candidates, a pick found by searching, an auto item excluded
		decide("7", MatchStatus.MANUAL, "2007");
		decide("20", MatchStatus.MANUAL, "1019");
		decide("3", MatchStatus.EXCLUDED, null);
		Map<Integer, String> before = table();

		RunView apply = run(RunMode.APPLY);
		assertThat(apply.state()).as(String.valueOf(apply.error())).isEqualTo(RunState.SUCCEEDED);
		Map<Integer, String> map = table();
		assertThat(map).isEqualTo(expectedMap());
		assertThat(map.get(1)).as("corrected, its note kept").isEqualTo("1001 auto 1.0000 kept");
		assertThat(map.get(7)).isEqualTo("2007 manual 1.0000 null");
		assertThat(map.get(20)).isEqualTo("1019 manual 1.0000 null");
		assertThat(map).as("excluded, open, and the stale row of 10").doesNotContainKeys(3, 14, 10, 30);
		// 45 auto + 2 picks: 45 inserted (1 and 2 were there), 1 updated (2 was right),
		// 1 deleted (10), in batches of 10
		assertThat(apply.counts().inserted()).isEqualTo(45);
		assertThat(apply.counts().updated()).isEqualTo(1);
		assertThat(apply.counts().deleted()).isEqualTo(1);
		assertThat(apply.changeSetSha256()).isNotNull();
		ChangePage changes = SystemActor.call(() -> this.changeSets.changes(apply.id(), ChangeFilter.ALL, null, 100));
		assertThat(changes.items()).hasSize(47);
		assertThat(changes.items().stream().filter(change -> change.op() == ChangeOp.DELETE)).singleElement()
			.satisfies(change -> assertThat(change.key()).containsEntry("old_id", 10L));
		assertThat(SystemActor.call(() -> this.runs.log(apply.id())))
			.anySatisfy(line -> assertThat(line.message()).contains("The map differs from people_map in 47 row(s)"));

		RunView rollback = finished(SystemActor.call(() -> this.runs.rollback(apply.id())));
		assertThat(rollback.state()).as(String.valueOf(rollback.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(table()).isEqualTo(before);
		assertThat(SystemActor.call(() -> this.runs.result(rollback.id(), "checksum")).orElseThrow())
			.contains("\"same\": true");

		// applied again (a new dry run and approval: the first one's were spent), then
		// another decision: the map is written once per approval, so the change waits for
		// the apply's rollback and a new review
		RunView again = run(RunMode.APPLY);
		assertThat(again.state()).as(String.valueOf(again.error())).isEqualTo(RunState.SUCCEEDED);
		Map<Integer, String> first = table();
		assertThat(first).isEqualTo(expectedMap());
		MappingItem seven = SystemActor.call(() -> this.mappings.item("people-pg", "map", "7"));
		SystemActor.call(() -> this.mappings.undo("people-pg", "map", "7", seven.version()));
		assertThatThrownBy(() -> SystemActor.call(() -> this.runs.request("people-pg", "map", RunMode.APPLY)))
			.isInstanceOf(RefusedException.class)
			.hasMessageContaining("Apply #" + again.id() + " of phase map stands; roll it back first.");
		assertThat(table()).isEqualTo(first);
		RunView undoAgain = finished(SystemActor.call(() -> this.runs.rollback(again.id())));
		assertThat(undoAgain.state()).as(String.valueOf(undoAgain.error())).isEqualTo(RunState.SUCCEEDED);
		RunView second = run(RunMode.APPLY);
		assertThat(second.state()).as(String.valueOf(second.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(table()).doesNotContainKey(7).isEqualTo(expectedMap());

		RunView undoSecond = finished(SystemActor.call(() -> this.runs.rollback(second.id())));
		assertThat(undoSecond.state()).as(String.valueOf(undoSecond.error())).isEqualTo(RunState.SUCCEEDED);
		assertThat(table()).isEqualTo(before);
	}

	/**
	 * The map the service shows, item by item: old key → new key, status and confidence
	 * (1 for a pick, the best score for auto), with the note column as the table keeps
	 * it.
	 */
	private Map<Integer, String> expectedMap() throws Exception {
		Map<Integer, String> notes = new TreeMap<>();
		table().forEach((old, row) -> notes.put(old, row.substring(row.lastIndexOf(' ') + 1)));
		Map<Integer, String> expected = new TreeMap<>();
		String after = null;
		do {
			String cursor = after;
			MappingPage page = SystemActor
				.call(() -> this.mappings.items("people-pg", "map", Queue.ALL, null, cursor, 25));
			for (MappingItem item : page.items()) {
				if (item.newKey() != null) {
					String status = item.status().name().toLowerCase(java.util.Locale.ROOT);
					String confidence = item.status() == MatchStatus.MANUAL ? "1.0000"
							: String.format(java.util.Locale.ROOT, "%.4f", item.bestScore());
					int old = Integer.parseInt(item.oldKey());
					expected.put(old,
							item.newKey() + " " + status + " " + confidence + " " + notes.getOrDefault(old, "null"));
				}
			}
			after = page.next();
		}
		while (after != null);
		return expected;
	}

	private void databaseAndPlan() throws Exception {
		try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE map_target");
		}
		this.url = postgres().getJdbcUrl("postgres", "map_target");
		try (Connection c = open(); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE old_people (id INTEGER PRIMARY KEY, name VARCHAR(50), born INTEGER)");
			s.execute("CREATE TABLE new_people (id INTEGER PRIMARY KEY, name VARCHAR(50), born INTEGER)");
			s.execute("CREATE TABLE people_map (old_id INTEGER PRIMARY KEY, new_id INTEGER NOT NULL, "
					+ "status VARCHAR(20) NOT NULL, confidence NUMERIC(5, 4), note VARCHAR(40))");
			List<String> old = new ArrayList<>();
			List<String> fresh = new ArrayList<>();
			for (int i = 1; i <= OLD; i++) {
				old.add("(" + i + ", 'Person " + i + "', " + (1900 + i) + ")");
				if (i % 10 != 0) {
					fresh.add("(" + (1000 + i) + ", ' person  " + i + "', " + (1900 + i) + ")");
				}
				if (i % 7 == 0) {
					fresh.add("(" + (2000 + i) + ", 'PERSON " + i + "', " + (1900 + i) + ")");
				}
			}
			s.execute("INSERT INTO old_people VALUES " + String.join(", ", old));
			s.execute("INSERT INTO new_people VALUES " + String.join(", ", fresh));
			// a wrong row (its note must stay), a right one, and one whose old record no
			// longer maps
			s.execute("INSERT INTO people_map VALUES (1, 9999, 'manual', 0.5, 'kept'), (2, 1002, 'auto', 1, NULL), "
					+ "(10, 5555, 'manual', NULL, 'hand-made')");
		}
		SystemActor.run(() -> {
			this.connections.create(new ConnectionCommand("people-pg", this.url, "postgres", null, false));
			this.plans.save(null, """
					plan: people-pg
					source: people-pg
					target: people-pg
					phases:
					  - id: map
					    kind: mapping
					    old: { table: old_people, key: id }
					    new: { table: new_people, key: id }
					    block: { old: name, new: name, normalize: [trim, collapse-spaces, lower] }
					    tie-breakers:
					      - { old: born, new: born }
					    into: { table: people_map, old: old_id, new: new_id, status: status, confidence: confidence }
					    batch-size: 10
					gates: []
					""".getBytes(StandardCharsets.UTF_8), PlanOrigin.API);
		});
	}

	/** The map table: old id → "new status confidence note". */
	private Map<Integer, String> table() throws Exception {
		Map<Integer, String> rows = new TreeMap<>();
		try (Connection c = open();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT old_id, new_id, status, confidence, note FROM people_map")) {
			while (rs.next()) {
				rows.put(rs.getInt(1),
						rs.getInt(2) + " " + rs.getString(3) + " " + rs.getBigDecimal(4) + " " + rs.getString(5));
			}
		}
		return rows;
	}

	private void decide(String oldKey, MatchStatus status, String newKey) {
		MappingItem item = SystemActor.call(() -> this.mappings.item("people-pg", "map", oldKey));
		SystemActor.call(() -> this.mappings.decide("people-pg", "map", oldKey, new DecisionCommand(status, newKey,
				status == MatchStatus.EXCLUDED ? "not the same" : null, item.version())));
	}

	private Connection open() throws Exception {
		return DriverManager.getConnection(this.url, "postgres", "");
	}

	private RunView run(RunMode mode) {
		return finished((mode == RunMode.APPLY) ? Actors.requestApply(this.runs, this.approvals, "people-pg", "map")
				: SystemActor.call(() -> this.runs.request("people-pg", "map", mode)));
	}

	private RunView finished(RunView run) {
		return Await.finished(this.runs, run);
	}

}
