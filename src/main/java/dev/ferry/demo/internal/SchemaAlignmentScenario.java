package dev.ferry.demo.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import dev.ferry.connection.ConnectionCommand;

import org.springframework.stereotype.Component;

/**
 * The demo databases of the {@code schema-alignment} sample plan: two H2 files under
 * {@code <data>/demo}, the drifted production database {@code claims-prod} (writable) and
 * the canonical reference {@code claims-canonical} (read-only), written by
 * {@link SchemaAlignmentDatabases}. Each file is written under a temporary name and moved
 * into place once closed.
 */
@Component
class SchemaAlignmentScenario implements DemoScenario {

	static final String PLAN = "schema-alignment";

	static final String PRODUCTION = "claims-prod";

	static final String CANONICAL = "claims-canonical";

	@Override
	public String plan() {
		return PLAN;
	}

	@Override
	public boolean generate(Path demoDirectory) throws Exception {
		boolean generated = false;
		if (!Files.exists(file(demoDirectory, PRODUCTION))) {
			write(demoDirectory, PRODUCTION, SchemaAlignmentDatabases::writeProduction);
			generated = true;
		}
		if (!Files.exists(file(demoDirectory, CANONICAL))) {
			write(demoDirectory, CANONICAL, SchemaAlignmentDatabases::writeCanonical);
			generated = true;
		}
		return generated;
	}

	@Override
	public List<ConnectionCommand> connections(Path demoDirectory) {
		return List.of(
				new ConnectionCommand(PRODUCTION, url(demoDirectory, PRODUCTION), CultivarDataset.TARGET_USER,
						CultivarDataset.TARGET_PASSWORD, false),
				new ConnectionCommand(CANONICAL, url(demoDirectory, CANONICAL), CultivarDataset.TARGET_USER,
						CultivarDataset.TARGET_PASSWORD, true));
	}

	private static void write(Path demoDirectory, String name, Writer writer) throws Exception {
		String partial = name + "-partial";
		Path partialFile = file(demoDirectory, partial);
		// a crash during an earlier generation may have left a partial file behind
		Files.deleteIfExists(partialFile);
		Files.deleteIfExists(demoDirectory.resolve(partial + ".trace.db"));
		try (Connection connection = DriverManager.getConnection(url(demoDirectory, partial), DemoLogin.ADMIN,
				DemoLogin.ADMIN_PASSWORD)) {
			writer.write(connection);
		}
		Files.move(partialFile, file(demoDirectory, name), StandardCopyOption.ATOMIC_MOVE);
	}

	private static Path file(Path demoDirectory, String name) {
		return demoDirectory.resolve(name + ".mv.db");
	}

	static String url(Path demoDirectory, String name) {
		return "jdbc:h2:file:" + demoDirectory.resolve(name).toString().replace('\\', '/');
	}

	private interface Writer {

		void write(Connection connection) throws SQLException;

	}

}
