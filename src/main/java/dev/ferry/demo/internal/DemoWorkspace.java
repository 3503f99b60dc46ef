package dev.ferry.demo.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.connection.ConnectionView;
import dev.ferry.security.SystemActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Sets up the demo workspace on start in demo mode, before the plan files are loaded: the
 * demo databases are generated when missing (fixed seed, so every new workspace is the
 * same) and the connections {@code cultivars} (the read-only source) and {@code app} (the
 * target) are registered when missing, then the same for every {@link DemoScenario}. An
 * admin's later changes to them are kept.
 */
@Component
@Order(10)
class DemoWorkspace implements ApplicationRunner {

	static final String SOURCE = "cultivars";

	static final String TARGET = "app";

	private static final Logger log = LoggerFactory.getLogger(DemoWorkspace.class);

	private final ConnectionService connections;

	private final boolean enabled;

	private final Path dataDir;

	private final List<DemoScenario> scenarios;

	DemoWorkspace(ConnectionService connections, @Value("${ferry.demo.enabled:true}") boolean enabled,
			@Value("${ferry.data-dir:./data}") Path dataDir, List<DemoScenario> scenarios) {
		this.connections = connections;
		this.enabled = enabled;
		this.dataDir = dataDir;
		this.scenarios = scenarios;
	}

	@Override
	public void run(ApplicationArguments args) throws IOException {
		if (!this.enabled) {
			return;
		}
		Path source = CultivarDataset.sourceFile(this.dataDir);
		String targetUrl = CultivarDataset.targetUrl(this.dataDir);
		Path targetFile = source.resolveSibling(CultivarDataset.TARGET_DATABASE + ".mv.db");
		if (!Files.exists(source) || !Files.exists(targetFile)) {
			// a half-written workspace (a crash during generation) is generated again
			// whole
			Files.deleteIfExists(source);
			Files.deleteIfExists(targetFile);
			long started = System.nanoTime();
			CultivarDataset.generate(source, targetUrl, CultivarDataset.DEFAULT_SEED);
			log.info("Demo mode: generated the demo databases {} and {} in {} ms", source, targetFile,
					(System.nanoTime() - started) / 1_000_000);
		}
		register(new ConnectionCommand(SOURCE, CultivarDataset.sourceUrl(source), null, null, true), "ahs-v2");
		register(new ConnectionCommand(TARGET, targetUrl, CultivarDataset.TARGET_USER, CultivarDataset.TARGET_PASSWORD,
				false), "ahs-v2");
		Path demo = this.dataDir.toAbsolutePath().normalize().resolve("demo");
		Files.createDirectories(demo);
		for (DemoScenario scenario : this.scenarios) {
			scenario(scenario, demo);
		}
	}

	private void scenario(DemoScenario scenario, Path demo) {
		long started = System.nanoTime();
		try {
			if (scenario.generate(demo)) {
				log.info("Demo mode: generated the databases of the sample plan {} in {} ms", scenario.plan(),
						(System.nanoTime() - started) / 1_000_000);
			}
		}
		catch (Exception ex) {
			// one scenario's trouble must not keep the console from starting: its plan
			// then fails to load, and says why in the log
			log.error("Demo mode: could not generate the databases of the sample plan {}: {}", scenario.plan(),
					ex.getMessage(), ex);
			return;
		}
		for (ConnectionCommand connection : scenario.connections(demo)) {
			register(connection, scenario.plan());
		}
	}

	/**
	 * Registers a demo connection when missing. An H2 database first gets the demo's
	 * login without the admin right ({@link DemoLogin}); a connection registered by an
	 * older Ferry with the admin {@code sa} on the same URL is moved to that login, since
	 * Ferry no longer opens H2 as an admin. Any other change an admin made is kept.
	 */
	private void register(ConnectionCommand connection, String plan) {
		if (connection.jdbcUrl().startsWith("jdbc:h2:")) {
			try {
				DemoLogin.ensure(connection.jdbcUrl(), connection.readOnly());
			}
			catch (SQLException ex) {
				log.error("Demo mode: could not give {} the demo's login {}: {}", connection.name(), DemoLogin.USER,
						ex.getMessage());
				return;
			}
		}
		SystemActor.run(() -> {
			if (!this.connections.exists(connection.name())) {
				this.connections.create(connection);
				log.info("Demo mode: registered the connection {} for the sample plan {}", connection.name(), plan);
				return;
			}
			ConnectionView registered = this.connections.get(connection.name());
			if (DemoLogin.ADMIN.equalsIgnoreCase(String.valueOf(registered.username()))
					&& registered.jdbcUrl().equals(connection.jdbcUrl())) {
				this.connections.update(connection.name(), connection);
				log.info("Demo mode: the connection {} now logs in as {} (H2 logins with the admin right are refused)",
						connection.name(), DemoLogin.USER);
			}
		});
	}

}
