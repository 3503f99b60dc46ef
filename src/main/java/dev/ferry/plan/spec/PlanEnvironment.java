package dev.ferry.plan.spec;

import java.util.Optional;
import java.util.Set;

/**
 * What a plan is checked against besides its own text: the connections Ferry knows, their
 * catalogues, and the hosts HTTP gates may call.
 */
public interface PlanEnvironment {

	boolean connectionExists(String name);

	/**
	 * The tables and columns of a connection.
	 * @param connectionName an existing connection
	 * @return the catalogue, or empty when the connection cannot be reached now
	 */
	Optional<Catalog> catalog(String connectionName);

	/** Hosts HTTP gates may name, compared without regard to case. */
	Set<String> allowedHttpHosts();

	/**
	 * Whether the hosts of http gates are checked: a stored version was checked when it
	 * was saved, and reading it again must not depend on today's setting.
	 */
	default boolean checksHttpHosts() {
		return true;
	}

	/**
	 * Whether reading queries must be one statement
	 * ({@code dev.ferry.connection.ReadQuery}): a version stored before the rule still
	 * reads, and is refused where its query would run.
	 */
	default boolean checksReadQueries() {
		return true;
	}

}
