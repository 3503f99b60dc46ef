package dev.ferry.demo.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import dev.ferry.demo.internal.Planting.Cultivar;

/**
 * The supplier's second delivery of the cultivar source: corrections to existing rows and
 * a few new introductions, so that an import dry run after an apply has updates and
 * inserts to show. It touches only rows the import accepts and leaves every block key and
 * every tie-breaker value the mapping reads as it was, so the mapping's figures stay the
 * same; the new names hold an apostrophe, which no first-delivery name or legacy
 * misspelling has.
 */
final class SecondDelivery {

	static final String NAME = "second";

	static final int HYBRIDIZERS_FILLED = 50;

	static final int FRAGRANCES_CORRECTED = 50;

	static final int NAMES_RECASED = 50;

	static final int ADDED = 40;

	private static final long SEED = 2025L;

	private static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no", "y", "n", "1", "0");

	private SecondDelivery() {
	}

	static Optional<Delivery> apply(Path sqliteFile) {
		if (!Files.isRegularFile(sqliteFile)) {
			throw new IllegalArgumentException("No demo source at " + sqliteFile.toAbsolutePath());
		}
		try (Connection connection = DriverManager.getConnection(CultivarSource.url(sqliteFile))) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE IF NOT EXISTS deliveries (name TEXT PRIMARY KEY, "
						+ "changed INTEGER NOT NULL, added INTEGER NOT NULL)");
			}
			if (applied(connection)) {
				connection.rollback();
				return Optional.empty();
			}
			Delivery delivery = deliver(connection);
			try (PreparedStatement record = connection
				.prepareStatement("INSERT INTO deliveries (name, changed, added) VALUES (?, ?, ?)")) {
				record.setString(1, delivery.name());
				record.setInt(2, delivery.changed());
				record.setInt(3, delivery.added());
				record.executeUpdate();
			}
			connection.commit();
			return Optional.of(delivery);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Could not deliver the second batch into " + sqliteFile.toAbsolutePath() + ": " + ex.getMessage(),
					ex);
		}
	}

	private static boolean applied(Connection connection) throws SQLException {
		try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM deliveries WHERE name = ?")) {
			query.setString(1, NAME);
			try (ResultSet result = query.executeQuery()) {
				result.next();
				return result.getInt(1) > 0;
			}
		}
	}

	private static Delivery deliver(Connection connection) throws SQLException {
		SplittableRandom random = new SplittableRandom(SEED);
		List<Cultivar> withoutHybridizer = new ArrayList<>();
		List<Cultivar> withFragrance = new ArrayList<>();
		List<Cultivar> oddlyCased = new ArrayList<>();
		int lastId = 0;
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement
					.executeQuery("SELECT id, name, hybridizer, year, fragrance FROM cultivars ORDER BY id")) {
			while (rows.next()) {
				Cultivar row = new Cultivar(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getString(4),
						rows.getString(5));
				lastId = Math.max(lastId, row.id());
				if (!imports(row)) {
					continue;
				}
				if (row.hybridizer() == null
						|| Set.of("", "N/A", "UNKNOWN").contains(row.hybridizer().trim().toUpperCase(Locale.ROOT))) {
					withoutHybridizer.add(row);
				}
				if (row.fragrance() != null) {
					withFragrance.add(row);
				}
				if (!recased(row.name()).equals(collapsed(row.name()))) {
					oddlyCased.add(row);
				}
			}
		}
		Set<Integer> chosen = new HashSet<>();
		List<Cultivar> changes = new ArrayList<>();
		for (Cultivar row : spread(withoutHybridizer, HYBRIDIZERS_FILLED, chosen)) {
			String code = Vocabulary.HYBRIDIZERS.get(random.nextInt(Vocabulary.HYBRIDIZERS.size()));
			changes.add(new Cultivar(row.id(), row.name(), Planting.titleCase(code.toLowerCase(Locale.ROOT)),
					row.year(), row.fragrance()));
		}
		for (Cultivar row : spread(withFragrance, FRAGRANCES_CORRECTED, chosen)) {
			boolean fragrant = isTrue(row.fragrance());
			List<String> spellings = fragrant ? Vocabulary.NO : Vocabulary.YES;
			changes.add(new Cultivar(row.id(), row.name(), row.hybridizer(), row.year(),
					spellings.get(random.nextInt(spellings.size()))));
		}
		for (Cultivar row : spread(oddlyCased, NAMES_RECASED, chosen)) {
			changes.add(new Cultivar(row.id(), recased(row.name()), row.hybridizer(), row.year(), row.fragrance()));
		}
		try (PreparedStatement update = connection
			.prepareStatement("UPDATE cultivars SET name = ?, hybridizer = ?, fragrance = ? WHERE id = ?")) {
			for (Cultivar change : changes) {
				update.setString(1, change.name());
				update.setString(2, change.hybridizer());
				update.setString(3, change.fragrance());
				update.setInt(4, change.id());
				update.addBatch();
			}
			update.executeBatch();
		}
		CultivarSource.insert(connection, introductions(random, lastId));
		return new Delivery(NAME, changes.size(), ADDED);
	}

	private static List<Cultivar> introductions(SplittableRandom random, int lastId) {
		List<String> names = new ArrayList<>();
		List<Cultivar> added = new ArrayList<>();
		while (added.size() < ADDED) {
			String name = Vocabulary.OWNERS.get(random.nextInt(Vocabulary.OWNERS.size())) + " "
					+ Vocabulary.NOUNS.get(random.nextInt(Vocabulary.NOUNS.size()));
			if (names.contains(name)) {
				continue;
			}
			names.add(name);
			String code = Vocabulary.HYBRIDIZERS.get(random.nextInt(Vocabulary.HYBRIDIZERS.size()));
			List<String> fragrance = random.nextBoolean() ? Vocabulary.YES : Vocabulary.NO;
			added.add(new Cultivar(lastId + added.size() + 1, name, code, (random.nextInt(3) == 0) ? "2024" : "2025",
					fragrance.get(random.nextInt(fragrance.size()))));
		}
		return added;
	}

	/** Up to {@code count} rows spread evenly over {@code rows}, none already chosen. */
	private static List<Cultivar> spread(List<Cultivar> rows, int count, Set<Integer> chosen) {
		List<Cultivar> picked = new ArrayList<>(count);
		int step = Math.max(1, rows.size() / count);
		for (int i = 0; i < rows.size() && picked.size() < count; i += step) {
			int at = i;
			while (at < rows.size() && chosen.contains(rows.get(at).id())) {
				at++;
			}
			if (at < rows.size()) {
				chosen.add(rows.get(at).id());
				picked.add(rows.get(at));
			}
		}
		if (picked.size() < count) {
			throw new IllegalStateException("The source has too few rows to change (" + rows.size() + ")");
		}
		return picked;
	}

	/** Whether the ahs-v2 import accepts the row (its name, year and fragrance rules). */
	private static boolean imports(Cultivar row) {
		if (row.name() == null) {
			return false;
		}
		if (row.year() != null && !row.year().isEmpty() && !row.year().matches("[0-9]{1,9}")) {
			return false;
		}
		return row.fragrance() == null || BOOLEANS.contains(row.fragrance().toLowerCase(Locale.ROOT));
	}

	private static boolean isTrue(String fragrance) {
		return Set.of("true", "yes", "y", "1").contains(fragrance.toLowerCase(Locale.ROOT));
	}

	private static String collapsed(String name) {
		return Planting.collapseSpaces(name);
	}

	private static String recased(String name) {
		return Planting.titleCase(collapsed(name).toLowerCase(Locale.ROOT));
	}

}
