package dev.ferry.plan.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The environment of the plan tests: connections {@code cultivars} and {@code app} with
 * the catalogues the AHS V2 example needs, H2-style upper-case on the target.
 */
final class FakePlanEnvironment implements PlanEnvironment {

	private final Map<String, Catalog> catalogs;

	private final Set<String> connections;

	private FakePlanEnvironment(Set<String> connections, Map<String, Catalog> catalogs) {
		this.connections = connections;
		this.catalogs = catalogs;
	}

	/** Both connections reachable. */
	static FakePlanEnvironment ahs() {
		Map<String, Catalog> catalogs = new LinkedHashMap<>();
		catalogs.put("cultivars",
				new Catalog(Map.of("cultivars", List.of("id", "name", "hybridizer", "year", "fragrance"))));
		catalogs.put("app", new Catalog(Map.of("AHSLISTING", List.of("ID", "NAME", "HYBRIDIZER_CODE", "YEAR"),
				"LISTING", List.of("ID", "AHS_ID", "TITLE"))));
		return new FakePlanEnvironment(Set.of("cultivars", "app"), catalogs);
	}

	/** Both connections exist, neither can be reached. */
	static FakePlanEnvironment unreachable() {
		return new FakePlanEnvironment(Set.of("cultivars", "app"), Map.of());
	}

	@Override
	public boolean connectionExists(String name) {
		return this.connections.contains(name);
	}

	@Override
	public Optional<Catalog> catalog(String connectionName) {
		return Optional.ofNullable(this.catalogs.get(connectionName));
	}

	@Override
	public Set<String> allowedHttpHosts() {
		return Set.of("status.example.com");
	}

}
