package dev.ferry.connection;

/**
 * Creates or changes a connection. A {@code null} or empty {@code password} on a change
 * keeps the stored secret.
 */
public record ConnectionCommand(String name, String jdbcUrl, String username, String password, boolean readOnly) {

	@Override
	public String toString() {
		// a command must never print its secret, whatever logs it
		return "ConnectionCommand[name=" + this.name + ", jdbcUrl=" + this.jdbcUrl + ", username=" + this.username
				+ ", readOnly=" + this.readOnly + "]";
	}

}
