package dev.ferry.demo.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes the old task model of the {@code task-model-v2} demo, a SQLite file, from a
 * fixed seed: 9 milestones (two without tasks), 164 project milestone tasks of 12
 * projects and 328 supplier task instances. The values are the awkward ones a real app
 * collects: NULL and empty notes, notes with quotes, new lines, tabs, surrounding spaces
 * and non-Latin letters, NULL due dates, dates and times as ISO text. Task ids have gaps
 * and are not in project order, so the new template ids (numbered by project and section)
 * differ from them. The file is written under a temporary name and moved into place when
 * complete.
 */
final class TaskModelDataset {

	static final long SEED = 20260310L;

	/** The milestones: id, code, name, sort order; the last two have no tasks. */
	static final List<Milestone> MILESTONES = List.of(new Milestone(3, "KICK", "Kick-off", 10),
			new Milestone(5, "PA1", "Design freeze", 20), new Milestone(8, "PA2", "PPAP level 2", 30),
			new Milestone(13, "PA3", "PPAP level 3", 40), new Milestone(21, "NMR1", "New material release 1", 50),
			new Milestone(34, "NMR2", "New material release 2", 60),
			new Milestone(55, "SOP", "Start of production", 70), new Milestone(89, "HAND", "Übergabe an die Serie", 80),
			new Milestone(144, "ARCH", "Archived \u2013 do not use", 90));

	/** How many milestones (the first ones) have tasks. */
	static final int MILESTONES_WITH_TASKS = 7;

	static final int PROJECTS = 12;

	static final int FIRST_PROJECT = 4001;

	static final int FIRST_SUPPLIER = 501;

	static final int SUPPLIERS = 20;

	private static final String[] TITLES = { "Submit control plan", "Dimensional report", "Material certificate",
			"Run @ rate", "Capability study (Cpk \u2265 1.67)", "PFMEA review", "Packaging approval",
			"Appearance approval \"Class A\"", "Gauge R&R", "Sample shipment" };

	private static final String[] PARTIES = { "Supplier", "Buyer", "SQE", "Supplier Quality Engineer", "Logistics",
			"Qualité fournisseur (Région Sud)" };

	/** Notes as people type them; null stands for NULL. */
	private static final String[] NOTES = { null, null, null, "", "Agreed on the phone",
			"Supplier said \"OK\" \u2013 see 'Annex B'", "Line 1\nLine 2\r\nLine 3", "Maße geprüft: ±0,05 mm \u2713",
			"  leading and trailing spaces  ", "Shipment by truck \uD83D\uDE9A", "tab\there", "semi; colon, comma",
			"O'Brien's lot", "部品の検査 OK" };

	private static final String[] STATUSES = { "open", "in_progress", "submitted", "approved", "rejected", "waived" };

	private static final LocalDate START = LocalDate.of(2026, 1, 5);

	private TaskModelDataset() {
	}

	/** Writes the old model to {@code file} (parent directories are created). */
	static void write(Path file, long seed) {
		Path absolute = file.toAbsolutePath();
		Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
		Random random = new Random(seed);
		List<Task> tasks = tasks(random);
		List<Instance> instances = instances(random, tasks);
		try {
			Files.createDirectories(absolute.getParent());
			Files.deleteIfExists(temporary);
			try (Connection connection = DriverManager.getConnection(CultivarSource.url(temporary))) {
				try (Statement statement = connection.createStatement()) {
					// the file is moved into place only once complete
					statement.execute("PRAGMA journal_mode = MEMORY");
					statement.execute("PRAGMA synchronous = OFF");
				}
				connection.setAutoCommit(false);
				try (Statement statement = connection.createStatement()) {
					statement.execute("CREATE TABLE milestones (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, "
							+ "name TEXT NOT NULL, sort_order INTEGER NOT NULL)");
					statement.execute("CREATE TABLE project_milestone_tasks (id INTEGER PRIMARY KEY, "
							+ "project_id INTEGER NOT NULL, milestone_id INTEGER NOT NULL REFERENCES milestones(id), "
							+ "title TEXT NOT NULL, due_date TEXT, notes TEXT, responsible_party TEXT)");
					statement.execute("CREATE TABLE supplier_task_instances (id INTEGER PRIMARY KEY, "
							+ "supplier_id INTEGER NOT NULL, project_milestone_task_id INTEGER NOT NULL "
							+ "REFERENCES project_milestone_tasks(id), status TEXT NOT NULL, started_on TEXT, "
							+ "completed_on TEXT, due_date_override TEXT, notes TEXT, responsible_override TEXT, "
							+ "updated_at TEXT NOT NULL)");
				}
				insert(connection, tasks, instances);
				connection.commit();
			}
			DemoFiles.move(temporary, absolute);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Could not write the task-model demo database " + absolute + ": " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the task-model demo database " + absolute, ex);
		}
	}

	private static List<Task> tasks(Random random) {
		List<Task> tasks = new ArrayList<>();
		for (int p = 0; p < PROJECTS; p++) {
			for (int m = 0; m < MILESTONES_WITH_TASKS; m++) {
				int count = 1 + random.nextInt(3);
				for (int t = 0; t < count; t++) {
					LocalDate due = START.plusDays(p * 17L + m * 21L + random.nextInt(10));
					tasks.add(new Task(0, FIRST_PROJECT + p, MILESTONES.get(m).id(),
							TITLES[random.nextInt(TITLES.length)], random.nextInt(8) == 0 ? null : due.toString(),
							NOTES[random.nextInt(NOTES.length)],
							random.nextInt(10) == 0 ? null : PARTIES[random.nextInt(PARTIES.length)]));
				}
			}
		}
		// ids with gaps, handed out in an order of their own
		List<Integer> ids = new ArrayList<>();
		for (int k = 0; k < tasks.size(); k++) {
			ids.add(1000 + 3 * k + random.nextInt(3));
		}
		Collections.shuffle(ids, random);
		List<Task> numbered = new ArrayList<>();
		for (int k = 0; k < tasks.size(); k++) {
			Task task = tasks.get(k);
			numbered.add(new Task(ids.get(k), task.projectId(), task.milestoneId(), task.title(), task.dueDate(),
					task.notes(), task.responsibleParty()));
		}
		return numbered;
	}

	private static List<Instance> instances(Random random, List<Task> tasks) {
		List<Instance> instances = new ArrayList<>();
		int id = 70001;
		for (Task task : tasks) {
			int count = 1 + random.nextInt(3);
			for (int s = 0; s < count; s++) {
				String status = STATUSES[random.nextInt(STATUSES.length)];
				LocalDate started = START.plusDays(random.nextInt(120));
				boolean ended = status.equals("approved") || status.equals("rejected") || status.equals("waived");
				instances.add(new Instance(id++, FIRST_SUPPLIER + random.nextInt(SUPPLIERS), task.id(), status,
						status.equals("open") ? null : started.toString(),
						ended ? started.plusDays(1 + random.nextInt(30)).toString() : null,
						random.nextInt(7) == 0 ? START.plusDays(60 + random.nextInt(200)).toString() : null,
						NOTES[random.nextInt(NOTES.length)],
						random.nextInt(10) == 0 ? PARTIES[random.nextInt(PARTIES.length)] : null,
						started.plusDays(random.nextInt(40)) + "T" + String.format(Locale.ROOT, "%02d:%02d:00Z",
								7 + random.nextInt(11), random.nextInt(60))));
			}
		}
		return instances;
	}

	private static void insert(Connection connection, List<Task> tasks, List<Instance> instances) throws SQLException {
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT INTO milestones (id, code, name, sort_order) VALUES (?, ?, ?, ?)")) {
			for (Milestone milestone : MILESTONES) {
				insert.setInt(1, milestone.id());
				insert.setString(2, milestone.code());
				insert.setString(3, milestone.name());
				insert.setInt(4, milestone.sortOrder());
				insert.addBatch();
			}
			insert.executeBatch();
		}
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO project_milestone_tasks (id, "
				+ "project_id, milestone_id, title, due_date, notes, responsible_party) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
			for (Task task : tasks) {
				insert.setInt(1, task.id());
				insert.setInt(2, task.projectId());
				insert.setInt(3, task.milestoneId());
				insert.setString(4, task.title());
				DemoFiles.setText(insert, 5, task.dueDate());
				DemoFiles.setText(insert, 6, task.notes());
				DemoFiles.setText(insert, 7, task.responsibleParty());
				insert.addBatch();
			}
			insert.executeBatch();
		}
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO supplier_task_instances (id, "
				+ "supplier_id, project_milestone_task_id, status, started_on, completed_on, due_date_override, notes, "
				+ "responsible_override, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
			for (Instance instance : instances) {
				insert.setInt(1, instance.id());
				insert.setInt(2, instance.supplierId());
				insert.setInt(3, instance.taskId());
				insert.setString(4, instance.status());
				DemoFiles.setText(insert, 5, instance.startedOn());
				DemoFiles.setText(insert, 6, instance.completedOn());
				DemoFiles.setText(insert, 7, instance.dueDateOverride());
				DemoFiles.setText(insert, 8, instance.notes());
				DemoFiles.setText(insert, 9, instance.responsibleOverride());
				insert.setString(10, instance.updatedAt());
				insert.addBatch();
			}
			insert.executeBatch();
		}
	}

	/** A row of {@code milestones}. */
	record Milestone(int id, String code, String name, int sortOrder) {

	}

	/** A row of {@code project_milestone_tasks}. */
	record Task(int id, int projectId, int milestoneId, String title, String dueDate, String notes,
			String responsibleParty) {

	}

	/** A row of {@code supplier_task_instances}. */
	record Instance(int id, int supplierId, int taskId, String status, String startedOn, String completedOn,
			String dueDateOverride, String notes, String responsibleOverride, String updatedAt) {

	}

}
