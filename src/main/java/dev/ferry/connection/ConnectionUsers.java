package dev.ferry.connection;

import java.util.List;

/**
 * What uses a connection, asked before it is deleted: a module whose records name
 * connections (the plans) implements it, so the connection module knows of none of them.
 */
public interface ConnectionUsers {

	/** The users of {@code connection} in words ("plan ahs-v2"); empty when none. */
	List<String> using(String connection);

}
