package dev.ferry.plan.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ferry.connection.ConnectionCatalog;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.spec.Catalog;
import dev.ferry.plan.spec.PlanEnvironment;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Plans are checked against the connections Ferry knows and their live catalogues. */
@Component
class ConnectionsEnvironment implements PlanEnvironment {

	private final ConnectionService connections;

	private final Set<String> allowedHttpHosts;

	/**
	 * The hosts are bound as a list, so both a YAML list ({@code [a, b]}) and a comma
	 * separated value ({@code FERRY_HTTP_CHECKS_ALLOWED_HOSTS=a,b}) work; {@code @Value}
	 * would see only the second.
	 */
	ConnectionsEnvironment(ConnectionService connections, Environment environment) {
		this.connections = connections;
		List<String> allowedHttpHosts = Binder.get(environment)
			.bind("ferry.http-checks.allowed-hosts", Bindable.listOf(String.class))
			.orElse(List.of());
		this.allowedHttpHosts = allowedHttpHosts.stream()
			.map(String::trim)
			.filter(host -> !host.isEmpty())
			.map(host -> host.toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
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
		};
	}

}
