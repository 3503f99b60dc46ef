package dev.ferry.scenario;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.ferry.preflight.Measurement;
import dev.ferry.preflight.PreflightService;
import dev.ferry.changeset.ChangeOp;
import dev.ferry.changeset.ChangeSetService;
import dev.ferry.changeset.StoredChange;
import dev.ferry.gate.ApprovalService;
import dev.ferry.gate.GateResult;
import dev.ferry.gate.GateService;
import dev.ferry.gate.SelfApprovalException;
import dev.ferry.gate.Verification;
import dev.ferry.problem.RefusedException;
import dev.ferry.run.RunLogLine;
import dev.ferry.run.RunMode;
import dev.ferry.run.RunService;
import dev.ferry.run.RunState;
import dev.ferry.run.RunView;
import dev.ferry.security.Role;
import dev.ferry.security.SystemActor;
import dev.ferry.support.Actors;
import dev.ferry.support.Await;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.Workspaces;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample plan {@code task-model-v2} end to end, as shipped in
 * {@code config/plans/task-model-v2.yaml}, on the demo's SQLite file
 * {@code <data-dir>/demo/projects.db} (connection {@code projects}, source and target):
 * preflight, the dry run of every phase with its figures, the gates failing before their
 * fix and passing after (and failing again when the data they protect is changed behind
 * Ferry's back), applies refused without a second operator's approval, every apply with
 * the database read by the test itself, the verify verdict, and the rollback of every
 * apply newest first back to the preflight's checksums and the test's own byte-for-byte
 * read of the old tables.
 */
@FerryAppTest
class TaskModelScenarioIntegrationTests {

	static final Path DATA = Workspaces.temporaryFolder("ferry-task-model-v2");

	static final String PLAN = "task-model-v2";

	static final String OPERATOR = "operator";

	/** The demo's figures (docs/scenarios/task-model-v2.md). */
	static final int MILESTONES = 9;

	static final int TASKS = 164;

	static final int INSTANCES = 328;

	static final List<String> OLD_TABLES = List.of("milestones", "project_milestone_tasks", "supplier_task_instances");

	static final String INSTANCE_COLUMNS = "id, supplier_id, project_milestone_task_id, status, started_on, "
			+ "completed_on, due_date_override, notes, responsible_override, updated_at";

	@DynamicPropertySource
	static void ownWorkspace(DynamicPropertyRegistry registry) {
		registry.add("ferry.data-dir", DATA::toString);
	}

	@Autowired
	RunService runs;

	@Autowired
	PreflightService preflights;

	@Autowired
	ApprovalService approvals;

	@Autowired
	GateService gates;

	@Autowired
	ChangeSetService changeSets;

	@Test
	void theTaskModelMigrationOnTheSqliteFile() throws Exception {
		// the test's own read of the old model, before anything runs
		Map<String, List<String>> before = oldTables();
		Map<String, String> schemaBefore = schema();
		assertThat(before.get("milestones")).hasSize(MILESTONES);
		assertThat(before.get("project_milestone_tasks")).hasSize(TASKS);
		assertThat(before.get("supplier_task_instances")).hasSize(INSTANCES);
		List<Task> tasks = tasks();
		Map<Integer, Integer> expectedTemplateIds = templateIds(tasks);

		// 1. preflight: counts and checksums of the three old tables, and the baseline of
		// instances-intact
		RunView preflight = dryRun("preflight");
		Map<String, Measurement> measured = measurements(preflight);
		assertThat(measured.get("milestones").rows()).isEqualTo(MILESTONES);
		assertThat(measured.get("project_milestone_tasks").rows()).isEqualTo(TASKS);
		assertThat(measured.get("supplier_task_instances").rows()).isEqualTo(INSTANCES);
		Map<String, String> checksumsBefore = checksums(measured);
		assertThat(checksumsBefore).hasSize(3).allSatisfy((table, sum) -> assertThat(sum).isNotBlank());
		assertThat(measured.get("instances-intact").kind()).isEqualTo(Measurement.Kind.QUERY);
		assertThat(measured.get("instances-intact").rows()).isEqualTo(INSTANCES);

		// before the schema: the remap's and verify's checks cannot even run
		assertThat(gate(evaluate("verify"), "no-orphans")).satisfies((g) -> {
			assertThat(g.state()).isEqualTo(GateResult.State.FAIL);
			assertThat(g.detail()).contains("no such table");
		});

		// 2. schema: the dry run on SQLite runs every statement in a transaction it rolls
		// back (SQLite's schema changes are transactional); the apply needs a second
		// operator
		RunView schemaDryRun = dryRun("schema");
		assertThat(messages(schemaDryRun))
			.anySatisfy((line) -> assertThat(line).startsWith("Statement 1 of 4: CREATE TABLE task_type_sections"))
			.anySatisfy((line) -> assertThat(line).startsWith("Statement 3 of 4: ALTER TABLE"))
			.anySatisfy((line) -> assertThat(line).startsWith("Statement 4 of 4: CREATE INDEX"))
			.contains("Rolled back: the dry run changed nothing on projects.");
		assertThat(schema()).as("the dry run created nothing").isEqualTo(schemaBefore);
		assertThat(oldTables()).isEqualTo(before);
		refusedApply("schema", "needs 1 operator approval");
		assertThatExceptionOfType(SelfApprovalException.class).as("the requester may not approve")
			.isThrownBy(() -> Actors.as(OPERATOR, Role.OPERATOR,
					() -> this.approvals.approve(PLAN, "schema", schemaDryRun.id(), null)));
		refusedApply("sections", "Phase schema comes first and is not applied");
		RunView schemaApply = approvedApply("schema", schemaDryRun);
		assertThat(tableNames()).contains("task_type_sections", "project_task_templates",
				"supplier_task_instances_template");
		assertThat(columns("supplier_task_instances")).endsWith("task_template_id");

		// 3. sections: every milestone, four names mapped, the others kept
		RunView sectionsDryRun = dryRun("sections");
		assertCounts(sectionsDryRun, MILESTONES, 0, 0);
		Map<String, String> sectionNames = new TreeMap<>();
		for (StoredChange change : changes(sectionsDryRun)) {
			assertThat(change.op()).isEqualTo(ChangeOp.INSERT);
			sectionNames.put(change.after().get(1), change.after().get(2));
		}
		assertThat(sectionNames).containsExactlyInAnyOrderEntriesOf(Map.of("KICK", "Kick-off", "PA1", "Design freeze",
				"PA2", "First Article", "PA3", "Production Trial", "NMR1", "Documentation", "NMR2", "Testing", "SOP",
				"Start of production", "HAND", "Übergabe an die Serie", "ARCH", "Archived \u2013 do not use"));
		assertThat(evaluate("sections")).allSatisfy((g) -> assertThat(g.state()).isEqualTo(GateResult.State.PASS));
		assertThat(gate(evaluate("sections"), "sections-complete").value()).isEqualTo(
				MILESTONES + " rows after dry run #" + sectionsDryRun.id() + ", expected " + MILESTONES + " (+0)");
		RunView sectionsApply = approvedApply("sections", sectionsDryRun);
		assertThat(rows("SELECT quote(id), quote(code), quote(name), quote(sort_order) FROM task_type_sections"))
			.as("one section per milestone, with its id and sort order")
			.containsExactlyInAnyOrderElementsOf(rows("SELECT quote(id), quote(code), quote(CASE code "
					+ "WHEN 'PA2' THEN 'First Article' WHEN 'PA3' THEN 'Production Trial' WHEN 'NMR1' THEN "
					+ "'Documentation' WHEN 'NMR2' THEN 'Testing' ELSE name END), quote(sort_order) FROM milestones"));

		// before the templates: due dates cannot be unchanged, instances are orphans
		assertThat(gate(evaluate("remap"), "due-dates-unchanged")).satisfies((g) -> {
			assertThat(g.state()).isEqualTo(GateResult.State.FAIL);
			assertThat(g.value()).isEqualTo(String.valueOf(TASKS));
		});
		assertThat(gate(evaluate("remap"), "instances-intact").state()).isEqualTo(GateResult.State.PASS);
		assertThat(gate(evaluate("verify"), "no-orphans")).satisfies((g) -> {
			assertThat(g.state()).isEqualTo(GateResult.State.FAIL);
			assertThat(g.value()).isEqualTo(String.valueOf(INSTANCES));
		});

		// 4. templates: one per task, new ids, values exactly as they were
		RunView templatesDryRun = dryRun("templates");
		assertCounts(templatesDryRun, TASKS, 0, 0);
		List<StoredChange> templateChanges = changes(templatesDryRun);
		assertThat(templateChanges).hasSize(TASKS).allSatisfy((change) -> {
			assertThat(change.op()).isEqualTo(ChangeOp.INSERT);
			int legacy = Integer.parseInt(change.key().get(0));
			assertThat(change.after().get(1)).as("the new id of task %d", legacy)
				.isEqualTo(String.valueOf(expectedTemplateIds.get(legacy)));
		});
		assertThat(gate(evaluate("templates"), "templates-complete").state()).isEqualTo(GateResult.State.PASS);
		RunView templatesApply = approvedApply("templates", templatesDryRun);
		assertThat(rows("SELECT quote(legacy_task_id), quote(id), quote(project_id), quote(section_id), quote(title), "
				+ "quote(due_date), quote(notes), quote(responsible_party) FROM project_task_templates"))
			.as("every task as a template: due dates, notes and responsible parties exactly")
			.containsExactlyInAnyOrderElementsOf(expectedTemplates(tasks, expectedTemplateIds));
		assertThat(gate(evaluate("remap"), "due-dates-unchanged")).satisfies((g) -> {
			assertThat(g.state()).isEqualTo(GateResult.State.PASS);
			assertThat(g.value()).isEqualTo("0");
		});

		// 5. remap: only the new column of every instance
		RunView remapDryRun = dryRun("remap");
		assertCounts(remapDryRun, 0, INSTANCES, 0);
		Map<Integer, Integer> taskOfInstance = taskOfInstance();
		assertThat(changes(remapDryRun)).hasSize(INSTANCES).allSatisfy((change) -> {
			assertThat(change.op()).isEqualTo(ChangeOp.UPDATE);
			int instance = Integer.parseInt(change.key().get(0));
			assertThat(change.before()).containsExactly(String.valueOf(instance), null);
			assertThat(change.after()).containsExactly(String.valueOf(instance),
					String.valueOf(expectedTemplateIds.get(taskOfInstance.get(instance))));
		});
		refusedApply("remap", "needs 1 operator approval");

		// a due date moved behind Ferry's back: the gate names it, the approval is
		// refused; put back, both pass
		int firstTemplate = expectedTemplateIds.values().stream().min(Comparator.naturalOrder()).orElseThrow();
		String dueDate = rows("SELECT due_date FROM project_task_templates WHERE id = " + firstTemplate).get(0);
		update("UPDATE project_task_templates SET due_date = '2031-12-24' WHERE id = " + firstTemplate);
		assertThat(gate(evaluate("remap"), "due-dates-unchanged")).satisfies((g) -> {
			assertThat(g.state()).isEqualTo(GateResult.State.FAIL);
			assertThat(g.value()).isEqualTo("1");
		});
		assertThatExceptionOfType(RefusedException.class)
			.isThrownBy(() -> Actors.approve(this.approvals, PLAN, "remap", remapDryRun.id()))
			.satisfies((ex) -> assertThat(ex.getReasons())
				.anySatisfy((r) -> assertThat(r).contains("due-dates-unchanged")));
		update("UPDATE project_task_templates SET due_date = " + (dueDate == null ? "NULL" : "'" + dueDate + "'")
				+ " WHERE id = " + firstTemplate);
		// an instance changed, then one lost, behind Ferry's back: instances-intact says
		// so
		update("UPDATE supplier_task_instances SET status = 'approved', notes = 'edited' WHERE id = 70001");
		assertThat(gate(evaluate("remap"), "instances-intact")).satisfies((g) -> {
			assertThat(g.state()).isEqualTo(GateResult.State.FAIL);
			assertThat(g.value()).startsWith(INSTANCES + " rows, checksum ");
			assertThat(g.detail())
				.isEqualTo("The query's result differs from the one preflight #" + preflight.id() + " took.");
		});
		restore("supplier_task_instances", "id = 70001", before);
		update("DELETE FROM supplier_task_instances WHERE id = 70002");
		assertThat(gate(evaluate("remap"), "instances-intact")).satisfies((g) -> {
			assertThat(g.state()).isEqualTo(GateResult.State.FAIL);
			assertThat(g.value()).startsWith((INSTANCES - 1) + " rows, checksum ");
		});
		reinsert("supplier_task_instances", "70002", before);
		assertThat(evaluate("remap")).allSatisfy((g) -> assertThat(g.state()).isEqualTo(GateResult.State.PASS));

		RunView remapApply = approvedApply("remap", remapDryRun);
		Map<Integer, Integer> templateOfInstance = new TreeMap<>();
		for (String row : rows("SELECT id || '|' || task_template_id FROM supplier_task_instances")) {
			String[] parts = row.split("\\|");
			templateOfInstance.put(Integer.valueOf(parts[0]), Integer.valueOf(parts[1]));
		}
		Map<Integer, Integer> expectedRemap = new TreeMap<>();
		taskOfInstance.forEach((instance, task) -> expectedRemap.put(instance, expectedTemplateIds.get(task)));
		assertThat(templateOfInstance).as("every instance points at its task's template").isEqualTo(expectedRemap);
		assertThat(oldTables()).as("the old tables, every old column, untouched").isEqualTo(before);

		// 6. verify: the verdict after the remap, and the gates measured again
		Await.until(() -> verification().filter((v) -> v.afterApply() == remapApply.id()).isPresent(),
				"the verdict of verify after apply #" + remapApply.id());
		assertThat(verification().orElseThrow()).satisfies((v) -> assertThat(v.passed()).as(v.detail()).isTrue());
		List<GateResult> verified = evaluate("verify");
		assertThat(verified).extracting(GateResult::id)
			.containsExactly("no-orphans", "instances-intact", "due-dates-unchanged");
		assertThat(verified)
			.allSatisfy((g) -> assertThat(g.state()).as(g.id() + ": " + g.detail()).isEqualTo(GateResult.State.PASS));
		assertThat(gate(verified, "no-orphans").value()).isEqualTo("0");

		// the undo ledger lives in the SQLite file
		assertThat(tableNames()).contains("ferry_applies", "ferry_apply_batches")
			.anySatisfy((name) -> assertThat(name).startsWith("ferry_undo_"));

		// 7. rollback of every apply, newest first: an older one first is refused, and
		// changes nothing
		assertThatExceptionOfType(RefusedException.class)
			.isThrownBy(() -> SystemActor.call(() -> this.runs.rollback(schemaApply.id())))
			.withMessage("Apply #" + remapApply.id() + " (phase remap) came after apply #" + schemaApply.id()
					+ " and still stands: roll back the newest apply first.");
		assertThat(SystemActor.call(() -> this.runs.get(schemaApply.id())).state()).isEqualTo(RunState.SUCCEEDED);
		for (RunView apply : List.of(remapApply, templatesApply, sectionsApply, schemaApply)) {
			RunView rollback = Await.finished(this.runs, SystemActor.call(() -> this.runs.rollback(apply.id())));
			assertThat(rollback.state()).as(apply.phase() + ": " + rollback.error()).isEqualTo(RunState.SUCCEEDED);
			assertThat(SystemActor.call(() -> this.runs.get(apply.id())).state()).isEqualTo(RunState.ROLLED_BACK);
		}
		assertThat(tableNames()).doesNotContain("task_type_sections", "project_task_templates",
				"supplier_task_instances_template");
		assertThat(columns("supplier_task_instances")).doesNotContain("task_template_id");
		assertThat(oldTables()).as("the old tables byte for byte").isEqualTo(before);
		assertThat(schema()).as("the old tables' definitions").isEqualTo(schemaBefore);
		RunView after = dryRun("preflight");
		assertThat(checksums(measurements(after))).as("the pre-apply checksums").isEqualTo(checksumsBefore);
	}

	// --- runs, approvals, gates

	private RunView dryRun(String phase) {
		RunView run = Await.finished(this.runs,
				Actors.as(OPERATOR, Role.OPERATOR, () -> this.runs.request(PLAN, phase, RunMode.DRY_RUN)));
		assertThat(run.state()).as(phase + " dry run: " + run.error()).isEqualTo(RunState.SUCCEEDED);
		return run;
	}

	/** Approved by the second operator, applied by the first. */
	private RunView approvedApply(String phase, RunView dryRun) {
		Actors.approve(this.approvals, PLAN, phase, dryRun.id());
		RunView apply = Await.finished(this.runs,
				Actors.as(OPERATOR, Role.OPERATOR, () -> this.runs.request(PLAN, phase, RunMode.APPLY)));
		assertThat(apply.state()).as(phase + " apply: " + apply.error()).isEqualTo(RunState.SUCCEEDED);
		return apply;
	}

	private void refusedApply(String phase, String reason) {
		assertThatExceptionOfType(RefusedException.class)
			.isThrownBy(() -> Actors.as(OPERATOR, Role.OPERATOR, () -> this.runs.request(PLAN, phase, RunMode.APPLY)))
			.satisfies((ex) -> assertThat(ex.getReasons()).anySatisfy((r) -> assertThat(r).contains(reason)));
	}

	private static void assertCounts(RunView dryRun, long inserted, long updated, long rejected) {
		assertThat(dryRun.counts().inserted()).as("inserted").isEqualTo(inserted);
		assertThat(dryRun.counts().updated()).as("updated").isEqualTo(updated);
		assertThat(dryRun.counts().deleted()).as("deleted").isZero();
		assertThat(dryRun.counts().rejected()).as("rejected").isEqualTo(rejected);
		assertThat(dryRun.counts().unchanged()).as("unchanged").isZero();
	}

	private List<GateResult> evaluate(String phase) {
		return Actors.as(OPERATOR, Role.OPERATOR, () -> this.gates.evaluate(PLAN, phase));
	}

	private Optional<Verification> verification() {
		return SystemActor.call(() -> this.gates.verification(PLAN, "verify"));
	}

	private static GateResult gate(List<GateResult> results, String id) {
		return results.stream().filter((g) -> g.id().equals(id)).findFirst().orElseThrow();
	}

	private List<StoredChange> changes(RunView dryRun) {
		return SystemActor.call(() -> this.changeSets.stored(dryRun.id(), 0, 10_000));
	}

	private List<String> messages(RunView run) {
		return SystemActor.call(() -> this.runs.log(run.id())).stream().map(RunLogLine::message).toList();
	}

	/** The preflight's measurements by subject: a table, or a query-unchanged gate. */
	private Map<String, Measurement> measurements(RunView preflight) {
		Map<String, Measurement> measured = new LinkedHashMap<>();
		for (Measurement m : SystemActor.call(() -> this.preflights.measurements(preflight.id()))) {
			measured.put(m.subject(), m);
		}
		return measured;
	}

	private static Map<String, String> checksums(Map<String, Measurement> measured) {
		Map<String, String> sums = new TreeMap<>();
		measured.forEach((subject, m) -> {
			if (m.kind() == Measurement.Kind.TABLE) {
				sums.put(subject, m.checksum());
			}
		});
		return sums;
	}

	// --- the test's own reads of the SQLite file

	private static Connection open() throws SQLException {
		return DriverManager.getConnection("jdbc:sqlite:" + DATA.resolve("demo").resolve("projects.db"));
	}

	/** Every row of the old tables, every column, as SQLite's exact literals. */
	private static Map<String, List<String>> oldTables() throws SQLException {
		Map<String, List<String>> tables = new LinkedHashMap<>();
		for (String table : OLD_TABLES) {
			List<String> columns = columns(table);
			columns.remove("task_template_id");
			tables.put(table,
					rows("SELECT "
							+ String.join(" || '|' || ", columns.stream().map((c) -> "quote(" + c + ")").toList())
							+ " FROM " + table + " ORDER BY rowid"));
		}
		return tables;
	}

	/** Puts a row back as {@code before} read it. */
	private static void restore(String table, String where, Map<String, List<String>> before) throws SQLException {
		List<String> columns = columns(table);
		columns.remove("task_template_id");
		String key = where.substring(where.indexOf('=') + 1).strip();
		String row = before.get(table).stream().filter((r) -> r.startsWith(key + "|")).findFirst().orElseThrow();
		// the literals are SQLite's own (quote()), so they go back as they are
		List<String> sets = new ArrayList<>();
		String[] values = row.split("\\|", -1);
		assertThat(values).hasSameSizeAs(columns.toArray());
		for (int i = 1; i < columns.size(); i++) {
			sets.add(columns.get(i) + " = " + values[i]);
		}
		update("UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE " + where);
	}

	/** Inserts a row again as {@code before} read it (the new column stays NULL). */
	private static void reinsert(String table, String id, Map<String, List<String>> before) throws SQLException {
		List<String> columns = columns(table);
		columns.remove("task_template_id");
		String row = before.get(table).stream().filter((r) -> r.startsWith(id + "|")).findFirst().orElseThrow();
		update("INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
				+ String.join(", ", row.split("\\|", -1)) + ")");
	}

	private static Map<String, String> schema() throws SQLException {
		Map<String, String> schema = new TreeMap<>();
		try (Connection c = open();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT name, sql FROM sqlite_master WHERE name IN ('"
						+ String.join("', '", OLD_TABLES) + "')")) {
			while (rs.next()) {
				schema.put(rs.getString(1), rs.getString(2));
			}
		}
		return schema;
	}

	private static TreeSet<String> tableNames() throws SQLException {
		return new TreeSet<>(rows("SELECT name FROM sqlite_master"));
	}

	private static List<String> columns(String table) throws SQLException {
		return new ArrayList<>(rows("SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid"));
	}

	/** The rows of a query, each its columns joined by {@code |}. */
	private static List<String> rows(String query) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Connection c = open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
			int columns = rs.getMetaData().getColumnCount();
			while (rs.next()) {
				List<String> values = new ArrayList<>();
				for (int i = 1; i <= columns; i++) {
					values.add(rs.getString(i));
				}
				rows.add(String.join("|", values));
			}
		}
		return rows;
	}

	private static void update(String sql) throws SQLException {
		try (Connection c = open(); Statement s = c.createStatement()) {
			assertThat(s.executeUpdate(sql)).as(sql).isEqualTo(1);
		}
	}

	// --- what the plan must make of the old model, worked out here on its own

	private static List<Task> tasks() throws SQLException {
		List<Task> tasks = new ArrayList<>();
		try (Connection c = open();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT t.id, t.project_id, m.sort_order, quote(t.id), "
						+ "quote(t.project_id), quote(t.milestone_id), quote(t.title), quote(t.due_date), "
						+ "quote(t.notes), quote(t.responsible_party) FROM project_milestone_tasks t "
						+ "JOIN milestones m ON m.id = t.milestone_id")) {
			while (rs.next()) {
				tasks.add(new Task(rs.getInt(1), rs.getInt(2), rs.getInt(3), List.of(rs.getString(4), rs.getString(5),
						rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10))));
			}
		}
		return tasks;
	}

	/** New ids 1, 2, ... by project, then section order, then old id. */
	private static Map<Integer, Integer> templateIds(List<Task> tasks) {
		List<Task> ordered = new ArrayList<>(tasks);
		ordered.sort(
				Comparator.comparingInt(Task::projectId).thenComparingInt(Task::sortOrder).thenComparingInt(Task::id));
		Map<Integer, Integer> ids = new TreeMap<>();
		for (int i = 0; i < ordered.size(); i++) {
			ids.put(ordered.get(i).id(), i + 1);
		}
		return ids;
	}

	private static List<String> expectedTemplates(List<Task> tasks, Map<Integer, Integer> ids) {
		List<String> rows = new ArrayList<>();
		for (Task task : tasks) {
			List<String> q = task.quoted();
			rows.add(String.join("|", List.of(q.get(0), String.valueOf(ids.get(task.id())), q.get(1), q.get(2),
					q.get(3), q.get(4), q.get(5), q.get(6))));
		}
		return rows;
	}

	private static Map<Integer, Integer> taskOfInstance() throws SQLException {
		Map<Integer, Integer> tasks = new TreeMap<>();
		for (String row : rows("SELECT id || '|' || project_milestone_task_id FROM supplier_task_instances")) {
			String[] parts = row.split("\\|");
			tasks.put(Integer.valueOf(parts[0]), Integer.valueOf(parts[1]));
		}
		return tasks;
	}

	/** An old task: what orders it, and its columns as SQLite literals. */
	record Task(int id, int projectId, int sortOrder, List<String> quoted) {

	}

}
