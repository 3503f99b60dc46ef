package dev.ferry.demo.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The demo workspace's data for the ahs-v2 sample plan: a messy SQLite cultivar source
 * and an H2 target with legacy AHS listings and the listings that reference them,
 * generated deterministically from a seed so that every screen has something real to show
 * (rejected rows, ambiguous and unresolved mappings, a coverage gate that review work
 * makes pass). What is planted, and why, is in {@code docs/demo-data.md}; the figures are
 * {@link DemoFigures#PLANTED}.
 *
 * <p>
 * Callers generate only when the files are missing. The target is written first and the
 * source is moved into place last, so a present {@code cultivars.db} means a complete
 * workspace; generating again replaces the source file and the two legacy tables.
 */
public final class CultivarDataset {

	/** The seed of the demo workspace. */
	public static final long DEFAULT_SEED = 20_240_611L;

	/** File name of the SQLite source, inside {@code <data>/demo}. */
	public static final String SOURCE_FILE = "cultivars.db";

	/** Database name of the H2 target, inside {@code <data>/demo} ({@code app.mv.db}). */
	public static final String TARGET_DATABASE = "app";

	/**
	 * Ferry's user in the H2 target: not an admin ({@link DemoLogin}); the target is
	 * written as {@link DemoLogin#ADMIN}, its creator.
	 */
	public static final String TARGET_USER = DemoLogin.USER;

	/** Password of {@link #TARGET_USER}: the demo target holds only generated data. */
	public static final String TARGET_PASSWORD = DemoLogin.PASSWORD;

	/**
	 * H2 2.x reserves YEAR and VALUE, and the plan (as users write it) names columns
	 * {@code year} without quotes.
	 */
	static final String TARGET_SETTINGS = ";NON_KEYWORDS=YEAR,VALUE";

	private CultivarDataset() {
	}

	/**
	 * The demo source file.
	 * @param dataDirectory Ferry's data directory ({@code ./data})
	 * @return {@code <data>/demo/cultivars.db}, absolute
	 */
	public static Path sourceFile(Path dataDirectory) {
		return demoDirectory(dataDirectory).resolve(SOURCE_FILE);
	}

	/**
	 * The JDBC URL of a SQLite source file.
	 * @param sqliteFile the file
	 * @return {@code jdbc:sqlite:<absolute path>}
	 */
	public static String sourceUrl(Path sqliteFile) {
		return CultivarSource.url(sqliteFile);
	}

	/**
	 * The JDBC URL recommended for the demo target, an H2 file database. It turns off the
	 * YEAR and VALUE keywords so the sample plan's unquoted {@code year} columns work.
	 * @param dataDirectory Ferry's data directory ({@code ./data})
	 * @return {@code jdbc:h2:file:<absolute data>/demo/app;NON_KEYWORDS=YEAR,VALUE}
	 */
	public static String targetUrl(Path dataDirectory) {
		Path database = demoDirectory(dataDirectory).resolve(TARGET_DATABASE);
		return "jdbc:h2:file:" + database.toString().replace('\\', '/') + TARGET_SETTINGS;
	}

	/**
	 * Generates the demo target, then the demo source.
	 * @param sqliteFile the source file to create (parent directories are created)
	 * @param targetJdbcUrl the H2 target, usually {@link #targetUrl(Path)}; written as
	 * {@link DemoLogin#ADMIN}, who gives {@link #TARGET_USER} a target's rights
	 * @param seed the seed; the same seed gives the same rows
	 * @return the planted figures
	 */
	public static DemoFigures generate(Path sqliteFile, String targetJdbcUrl, long seed) {
		Planting planting = Planting.plant(seed);
		try (Connection target = DriverManager.getConnection(targetJdbcUrl, DemoLogin.ADMIN,
				DemoLogin.ADMIN_PASSWORD)) {
			LegacyTarget.write(target, planting.legacyListings, planting.listings);
			try (Statement statement = target.createStatement()) {
				DemoLogin.grant(statement, false);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not write the demo target: " + ex.getMessage(), ex);
		}
		CultivarSource.write(sqliteFile, planting.cultivars);
		return DemoFigures.PLANTED;
	}

	/**
	 * Writes only the source.
	 * @param sqliteFile the source file to create (parent directories are created)
	 * @param seed the seed
	 */
	public static void writeSource(Path sqliteFile, long seed) {
		CultivarSource.write(sqliteFile, Planting.plant(seed).cultivars);
	}

	/**
	 * Writes only the target's {@code AhsListing} and {@code Listing} tables, replacing
	 * them if present, in one transaction of the given connection.
	 * @param target a connection to the target, for example from a pool
	 * @param seed the seed
	 * @throws SQLException if the target refuses the rows
	 */
	public static void writeTarget(Connection target, long seed) throws SQLException {
		Planting planting = Planting.plant(seed);
		LegacyTarget.write(target, planting.legacyListings, planting.listings);
	}

	/**
	 * Applies the supplier's second delivery to the source in place, once: about 150
	 * existing cultivars change (hybridizer, fragrance or the case of the name) and 40
	 * new ones arrive. The mapping's figures do not change.
	 * @param sqliteFile the source file
	 * @return the delivery, or empty when it had already been applied
	 */
	public static Optional<Delivery> deliverSecondBatch(Path sqliteFile) {
		return SecondDelivery.apply(sqliteFile);
	}

	private static Path demoDirectory(Path dataDirectory) {
		return dataDirectory.toAbsolutePath().normalize().resolve("demo");
	}

}
