package dev.ferry.run.internal;

import java.util.Optional;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Names this instance's scheduler {@code <host name>:<HTTP port>} (with
 * {@code server.address} between them when it is set) and, as soon as the web server has
 * bound that port (before the scheduler starts polling), releases the runs a scheduler of
 * the same name still holds: they were held by an earlier process of this instance that
 * was killed, since no live process can hold that port on this host. The restarted
 * instance resumes them at its first poll instead of waiting for db-scheduler to find
 * them dead (missed heartbeats). A name set with {@code db-scheduler.scheduler-name} is
 * used as it is and releases nothing; with port 0 or no web server the name ends in a
 * random part and releases nothing either. See docs/operations.md, "After a crash".
 */
@Component
class SchedulerIdentity implements DbSchedulerCustomizer {

	private static final Logger log = LoggerFactory.getLogger(SchedulerIdentity.class);

	private final JdbcClient jdbc;

	private final String table;

	/**
	 * This instance's name, or null when {@code db-scheduler.scheduler-name} sets one.
	 */
	private final String name;

	private final String host;

	/** The name without the port: the host name and, when set, server.address. */
	private final String bound;

	SchedulerIdentity(JdbcClient jdbc, Environment environment) {
		this.jdbc = jdbc;
		this.table = environment.getProperty("db-scheduler.table-name", "scheduled_tasks");
		this.host = new SchedulerName.Hostname().getName();
		// with server.address, two instances on one host may listen on one port
		String address = environment.getProperty("server.address");
		this.bound = this.host + ((address == null || address.isBlank()) ? "" : ":" + address.strip()) + ":";
		if (environment.containsProperty("db-scheduler.scheduler-name")) {
			this.name = null;
		}
		else {
			int port = environment.getProperty("server.port", Integer.class, 8080);
			String named = this.bound + port;
			// db-scheduler's picked_by holds 100 characters
			this.name = (port > 0 && named.length() <= 100) ? named
					: this.host.substring(0, Math.min(this.host.length(), 60)) + ":" + UUID.randomUUID();
		}
	}

	@Override
	public Optional<SchedulerName> schedulerName() {
		return Optional.ofNullable(this.name).map(SchedulerName.Fixed::new);
	}

	@EventListener
	void webServerStarted(WebServerInitializedEvent event) {
		if (this.name == null || event.getApplicationContext().getServerNamespace() != null
				|| !this.name.equals(this.bound + event.getWebServer().getPort())) {
			return;
		}
		int released = release(this.name);
		if (released > 0) {
			log.info("Released {} run task(s) held by {} before this instance restarted; they resume now", released,
					this.name);
		}
	}

	/** Hands back every execution a scheduler of this name holds; returns how many. */
	int release(String schedulerName) {
		return this.jdbc
			.sql("UPDATE " + this.table + " SET picked = FALSE, picked_by = NULL, last_heartbeat = NULL, "
					+ "version = version + 1 WHERE picked = TRUE AND picked_by = ?")
			.params(schedulerName)
			.update();
	}

}
