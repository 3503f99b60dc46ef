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
 * The demo databases of {@code config/plans/legacy-identities.yaml}: two H2 files in
 * PostgreSQL mode, {@code legacy-directory} (the legacy users, registered read-only) and
 * {@code identity} (the new system's subjects, the target). Each file is written under a
 * temporary name and moved into place when complete; the rows are those of
 * {@link LegacyIdentitiesDataset}.
 */
@Component
class LegacyIdentitiesScenario implements DemoScenario {

	static final String DIRECTORY = "legacy-directory";

	static final String IDENTITY = "identity";

	/**
	 * H2 settings: PostgreSQL mode and lower-case names, so the plan's SQL and names mean
	 * the same on the demo's H2 files as on a real PostgreSQL server.
	 */
	static final String SETTINGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

	private static final String PART = "-part";

	@Override
	public String plan() {
		return "legacy-identities";
	}

	@Override
	public boolean generate(Path demoDirectory) throws Exception {
		if (Files.exists(file(demoDirectory, DIRECTORY)) && Files.exists(file(demoDirectory, IDENTITY))) {
			return false;
		}
		// a half-written scenario is generated again whole
		Files.deleteIfExists(file(demoDirectory, DIRECTORY));
		Files.deleteIfExists(file(demoDirectory, IDENTITY));
		write(demoDirectory, IDENTITY, true);
		write(demoDirectory, DIRECTORY, false);
		return true;
	}

	@Override
	public List<ConnectionCommand> connections(Path demoDirectory) {
		return List.of(
				new ConnectionCommand(DIRECTORY, url(demoDirectory, DIRECTORY), DemoLogin.USER, DemoLogin.PASSWORD,
						true),
				new ConnectionCommand(IDENTITY, url(demoDirectory, IDENTITY), DemoLogin.USER, DemoLogin.PASSWORD,
						false));
	}

	private static void write(Path demoDirectory, String database, boolean identity) throws Exception {
		Path part = file(demoDirectory, database + PART);
		Files.deleteIfExists(part);
		Files.deleteIfExists(demoDirectory.resolve(database + PART + ".trace.db"));
		try (Connection connection = DriverManager.getConnection(url(demoDirectory, database + PART), DemoLogin.ADMIN,
				DemoLogin.ADMIN_PASSWORD)) {
			if (identity) {
				LegacyIdentitiesDataset.writeIdentity(connection);
			}
			else {
				LegacyIdentitiesDataset.writeDirectory(connection);
			}
		}
		catch (SQLException ex) {
			Files.deleteIfExists(part);
			throw ex;
		}
		Files.move(part, file(demoDirectory, database), StandardCopyOption.ATOMIC_MOVE);
	}

	private static Path file(Path demoDirectory, String database) {
		return demoDirectory.resolve(database + ".mv.db");
	}

	private static String url(Path demoDirectory, String database) {
		return "jdbc:h2:file:" + demoDirectory.resolve(database).toString().replace('\\', '/') + SETTINGS;
	}

}
