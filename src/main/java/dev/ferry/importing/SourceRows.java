package dev.ferry.importing;

import java.sql.SQLException;
import java.util.List;

/**
 * The rows an import reads as its source: the phase's query on its connection, or rows
 * another module reads from the tables it owns and hands over (a mapping apply's map).
 * The import applies its column rules to them, and sorts them itself unless they can come
 * in its key order.
 */
public interface SourceRows {

	/** How many rows there are. */
	long count() throws SQLException;

	/** The columns of every row, in order, with their JDBC types. */
	List<Column> columns() throws SQLException;

	/**
	 * Opens a forward-only cursor over the rows.
	 * @param orderBy the columns the rows must come ordered by (text in code point
	 * order), or empty for any order
	 */
	Cursor open(List<Column> orderBy) throws SQLException;

	/** A column of the rows: its name and its JDBC type ({@link java.sql.Types}). */
	record Column(String name, int jdbcType) {
	}

	/** Rows one at a time; what a read needs stays open until {@link #close()}. */
	interface Cursor extends AutoCloseable {

		/** Moves to the next row; false after the last. */
		boolean next() throws SQLException;

		/** A value of the current row, by the column's position (from 0). */
		Object get(int column) throws SQLException;

		@Override
		void close();

	}

}
