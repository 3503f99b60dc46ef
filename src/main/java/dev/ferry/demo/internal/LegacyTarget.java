package dev.ferry.demo.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

import dev.ferry.demo.internal.Planting.LegacyListing;
import dev.ferry.demo.internal.Planting.Listing;

/**
 * Writes the demo target's legacy tables, {@code AhsListing} and the {@code Listing} rows
 * that reference it, replacing any earlier copy of those two tables (and only those).
 */
final class LegacyTarget {

	private static final int BATCH = CultivarSource.BATCH;

	private LegacyTarget() {
	}

	static void write(Connection connection, List<LegacyListing> legacyListings, List<Listing> listings)
			throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try {
			try (Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS Listing");
				statement.execute("DROP TABLE IF EXISTS AhsListing");
				statement.execute("CREATE TABLE AhsListing (id INTEGER PRIMARY KEY, name VARCHAR(200), "
						+ "hybridizer_code VARCHAR(100), year INTEGER)");
				statement.execute("CREATE TABLE Listing (id INTEGER PRIMARY KEY, "
						+ "ahs_id INTEGER REFERENCES AhsListing(id), title VARCHAR(300))");
			}
			insertLegacyListings(connection, legacyListings);
			insertListings(connection, listings);
			connection.commit();
		}
		catch (SQLException | RuntimeException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
	}

	private static void insertLegacyListings(Connection connection, List<LegacyListing> rows) throws SQLException {
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT INTO AhsListing (id, name, hybridizer_code, year) VALUES (?, ?, ?, ?)")) {
			int pending = 0;
			for (LegacyListing row : rows) {
				insert.setInt(1, row.id());
				insert.setString(2, row.name());
				if (row.hybridizerCode() == null) {
					insert.setNull(3, Types.VARCHAR);
				}
				else {
					insert.setString(3, row.hybridizerCode());
				}
				if (row.year() == null) {
					insert.setNull(4, Types.INTEGER);
				}
				else {
					insert.setInt(4, row.year());
				}
				insert.addBatch();
				if (++pending == BATCH) {
					insert.executeBatch();
					pending = 0;
				}
			}
			if (pending > 0) {
				insert.executeBatch();
			}
		}
	}

	private static void insertListings(Connection connection, List<Listing> rows) throws SQLException {
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT INTO Listing (id, ahs_id, title) VALUES (?, ?, ?)")) {
			int pending = 0;
			for (Listing row : rows) {
				insert.setInt(1, row.id());
				if (row.ahsId() == null) {
					insert.setNull(2, Types.INTEGER);
				}
				else {
					insert.setInt(2, row.ahsId());
				}
				insert.setString(3, row.title());
				insert.addBatch();
				if (++pending == BATCH) {
					insert.executeBatch();
					pending = 0;
				}
			}
			if (pending > 0) {
				insert.executeBatch();
			}
		}
	}

}
