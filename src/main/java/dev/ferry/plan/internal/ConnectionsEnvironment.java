package dev.ferry.plan.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.HttpCheckHosts;
import dev.ferry.plan.spec.Catalog;
import dev.ferry.plan.spec.PlanEnvironment;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Plans are checked against the connections Ferry knows and their live catalogues. */
@Component
class ConnectionsEnvironment implements PlanEnvironment {

	private final ConnectionService connections;

	private final Set<String> allowedHttpHosts;

	ConnectionsEnvironment(ConnectionService connections, Environment environment) {
		this.connections = connections;
		this.allowedHttpHosts = HttpCheckHosts.allowed(environment);
	}

	@Override
	public boolean connectionExists(String name) {
		return this.connections.exists(name);
	}

	@Override
	public Optional<Catalog> catalog(String connectionName) {
		return this.connections.catalog(connectionName).map(ConnectionsEnvironment::catalog);
	}

	@Override
	public Set<String> allowedHttpHosts() {
		return this.allowedHttpHosts;
	}

	private static Catalog catalog(ConnectionCatalog catalog) {
		Map<String, List<String>> columns = new java.util.LinkedHashMap<>();
		for (ConnectionCatalog.Table table : catalog.tables().values()) {
			columns.put(table.name(), table.columns().stream().map(ConnectionCatalog.Column::name).toList());
		}
		return new Catalog(columns);
	}

	/**
	 * For re-reading stored versions: their connections existed when saved; skip
	 * catalogues.
	 */
	static PlanEnvironment stored() {
		return new PlanEnvironment() {
			@Override
			public boolean connectionExists(String name) {
				return true;
			}

			@Override
			public Optional<Catalog> catalog(String connectionName) {
				return Optional.empty();
			}

			@Override
			public Set<String> allowedHttpHosts() {
				return Set.of();
			}

			@Override
			public boolean checksHttpHosts() {
				return false;
			}

			@Override
			public boolean checksReadQueries() {
				return false;
			}
		};
	}

}
