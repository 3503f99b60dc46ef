package dev.ferry.connection;

import java.util.List;

/**
 * The result of testing a connection: whether it answered, the driver's message when it
 * did not, and its tables with their row counts ({@code null} when counting took too
 * long).
 */
public record ConnectionCheck(boolean ok, String message, List<TableRows> tables) {

	public record TableRows(String name, Long rows) {
	}

}
