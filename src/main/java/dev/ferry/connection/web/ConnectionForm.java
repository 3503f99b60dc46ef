package dev.ferry.connection.web;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionView;

/** The connection form; the password field is always rendered empty. */
record ConnectionForm(String name, String jdbcUrl, String username, String password, Boolean readOnly) {

	static ConnectionForm empty() {
		return new ConnectionForm("", "", "", "", false);
	}

	static ConnectionForm of(ConnectionView view) {
		return new ConnectionForm(view.name(), view.jdbcUrl(), view.username() == null ? "" : view.username(), "",
				view.readOnly());
	}

	ConnectionCommand command() {
		return new ConnectionCommand(this.name, this.jdbcUrl, this.username, this.password,
				Boolean.TRUE.equals(this.readOnly));
	}

	@Override
	public String toString() {
		return "ConnectionForm[name=" + this.name + ", jdbcUrl=" + this.jdbcUrl + "]";
	}

}
