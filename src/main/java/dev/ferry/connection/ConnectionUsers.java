package dev.ferry.connection;

import java.util.List;
import java.util.Map;

/**
 * What uses a connection, asked before it is deleted: a module whose records name
 * connections (the plans) implements it, so the connection module knows of none of them.
 */
public interface ConnectionUsers {

	/**
	 * Every used connection with its users in words ("plan ahs-v2"), found in one pass; a
	 * connection nothing uses is not a key.
	 */
	Map<String, List<String>> byConnection();

	/** The users of {@code connection} in words; empty when none. */
	default List<String> using(String connection) {
		return byConnection().getOrDefault(connection, List.of());
	}

}
