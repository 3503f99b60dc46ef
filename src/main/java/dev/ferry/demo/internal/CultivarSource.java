package dev.ferry.demo.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import dev.ferry.demo.internal.Planting.Cultivar;

/**
 * Writes the demo source, the SQLite file holding {@code cultivars}. It is written to a
 * temporary file beside the target and moved into place when complete, so a file at the
 * target path is always a whole source.
 */
final class CultivarSource {

	static final int BATCH = 1000;

	static final String CREATE_TABLE = "CREATE TABLE cultivars (id INTEGER PRIMARY KEY, name TEXT, "
			+ "hybridizer TEXT, year TEXT, fragrance TEXT)";

	private CultivarSource() {
	}

	static String url(Path file) {
		return "jdbc:sqlite:" + file.toAbsolutePath();
	}

	static void write(Path file, List<Cultivar> cultivars) {
		Path absolute = file.toAbsolutePath();
		Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
		try {
			Files.createDirectories(absolute.getParent());
			Files.deleteIfExists(temporary);
			try (Connection connection = DriverManager.getConnection(url(temporary))) {
				try (Statement statement = connection.createStatement()) {
					// The file is moved into place only once complete, so a crash loses
					// nothing.
					statement.execute("PRAGMA journal_mode = MEMORY");
					statement.execute("PRAGMA synchronous = OFF");
				}
				connection.setAutoCommit(false);
				try (Statement statement = connection.createStatement()) {
					statement.execute(CREATE_TABLE);
				}
				insert(connection, cultivars);
				connection.commit();
			}
			DemoFiles.move(temporary, absolute);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not write the demo source " + absolute + ": " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the demo source " + absolute, ex);
		}
	}

	static void insert(Connection connection, List<Cultivar> cultivars) throws SQLException {
		try (PreparedStatement insert = connection
			.prepareStatement("INSERT INTO cultivars (id, name, hybridizer, year, fragrance) VALUES (?, ?, ?, ?, ?)")) {
			int pending = 0;
			for (Cultivar cultivar : cultivars) {
				insert.setInt(1, cultivar.id());
				DemoFiles.setText(insert, 2, cultivar.name());
				DemoFiles.setText(insert, 3, cultivar.hybridizer());
				DemoFiles.setText(insert, 4, cultivar.year());
				DemoFiles.setText(insert, 5, cultivar.fragrance());
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
