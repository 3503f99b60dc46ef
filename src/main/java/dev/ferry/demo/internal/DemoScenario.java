package dev.ferry.demo.internal;

import java.nio.file.Path;
import java.util.List;

import dev.ferry.connection.ConnectionCommand;

/**
 * One sample plan of {@code config/plans} beyond {@code ahs-v2}, with the demo databases
 * it runs on. The demo workspace asks every scenario (a Spring bean) on start, in demo
 * mode, before the plan files are loaded: first to generate its databases when they are
 * missing, then for the connections to register when missing (an admin's later changes to
 * them are kept).
 */
interface DemoScenario {

	/**
	 * The id of the scenario's plan, for the log.
	 * @return for example {@code task-model-v2}
	 */
	String plan();

	/**
	 * Generates the scenario's databases under {@code demoDirectory} unless they are all
	 * there: a database is written to a temporary name (or in one transaction) and only
	 * then put in place, so a present database is a complete one, and a half-written
	 * scenario (a crash during generation) is generated again whole. The same call on a
	 * new directory gives the same rows (a fixed seed).
	 * @param demoDirectory {@code <data-dir>/demo}, absolute; it exists
	 * @return whether anything was generated
	 * @throws Exception if a database cannot be written
	 */
	boolean generate(Path demoDirectory) throws Exception;

	/**
	 * The connections the scenario's plan names.
	 * @param demoDirectory {@code <data-dir>/demo}, absolute
	 * @return the connections, each registered when no connection of its name exists
	 */
	List<ConnectionCommand> connections(Path demoDirectory);

}
