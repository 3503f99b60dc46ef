package dev.ferry.demo.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * What the demo generators share: putting a finished file in place, and nullable text.
 */
final class DemoFiles {

	private DemoFiles() {
	}

	/**
	 * Moves a completely written file into place, atomically where the file system can.
	 * @param from the finished temporary file
	 * @param to its final name (replaced if present)
	 * @throws IOException if the move fails
	 */
	static void move(Path from, Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/**
	 * Binds text, or SQL NULL for {@code null}.
	 * @param statement the statement
	 * @param index the parameter's index
	 * @param value the text or {@code null}
	 * @throws SQLException if the driver refuses it
	 */
	static void setText(PreparedStatement statement, int index, String value) throws SQLException {
		if (value == null) {
			statement.setNull(index, Types.VARCHAR);
		}
		else {
			statement.setString(index, value);
		}
	}

}
