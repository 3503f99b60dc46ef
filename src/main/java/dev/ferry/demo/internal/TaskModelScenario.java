package dev.ferry.demo.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.ferry.connection.ConnectionCommand;

import org.springframework.stereotype.Component;

/**
 * The sample plan {@code task-model-v2}: a project-management app on SQLite restructures
 * its task model in place. The demo database {@code <data-dir>/demo/projects.db} holds
 * the old model ({@code milestones}, {@code project_milestone_tasks},
 * {@code supplier_task_instances}, see {@link TaskModelDataset}); the one writable
 * connection {@code projects} is the plan's source and target.
 */
@Component
class TaskModelScenario implements DemoScenario {

	static final String PLAN = "task-model-v2";

	static final String CONNECTION = "projects";

	static final String FILE = "projects.db";

	@Override
	public String plan() {
		return PLAN;
	}

	@Override
	public boolean generate(Path demoDirectory) {
		Path file = demoDirectory.resolve(FILE);
		if (Files.exists(file)) {
			return false;
		}
		TaskModelDataset.write(file, TaskModelDataset.SEED);
		return true;
	}

	@Override
	public List<ConnectionCommand> connections(Path demoDirectory) {
		return List
			.of(new ConnectionCommand(CONNECTION, CultivarSource.url(demoDirectory.resolve(FILE)), null, null, false));
	}

}
