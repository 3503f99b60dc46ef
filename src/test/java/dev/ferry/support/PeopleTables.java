package dev.ferry.support;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The small mapping case several tests share: {@code old_people} to {@code new_people} by
 * lower-cased name, into {@code people_map}. With the default rows, Ann, Bob and Cy match
 * and Dee Ox stays unresolved.
 */
public final class PeopleTables {

	/** Four old people, three of whom are in the new system. */
	public static final String OLD_ROWS = "(1, 'Ann Lee'), (2, 'Bob Ray'), (3, 'Cy Doe'), (4, 'Dee Ox')";

	public static final String NEW_ROWS = "(10, 'ann lee'), (20, 'bob ray'), (30, 'cy doe')";

	/**
	 * The plan's mapping phase {@code map} over these tables, as YAML list item at the
	 * indentation of a plan's {@code phases:} (a phase's own keys, such as its
	 * {@code gates}, may follow it).
	 */
	public static final String MAP_PHASE = """
			  - id: map
			    kind: mapping
			    old: { table: old_people, key: id }
			    new: { table: new_people, key: id }
			    block: { old: name, new: name, normalize: [lower] }
			    into: { table: people_map, old: old_id, new: new_id, status: status }
			""";

	private PeopleTables() {
	}

	/** Creates the three tables with the default rows. */
	public static void create(Statement s) throws SQLException {
		create(s, OLD_ROWS, NEW_ROWS);
	}

	public static void create(Statement s, String oldRows, String newRows) throws SQLException {
		s.execute("CREATE TABLE old_people (id INTEGER PRIMARY KEY, name VARCHAR(50))");
		s.execute("CREATE TABLE new_people (id INTEGER PRIMARY KEY, name VARCHAR(50))");
		s.execute("CREATE TABLE people_map (old_id INTEGER PRIMARY KEY, new_id INTEGER, status VARCHAR(20))");
		s.execute("INSERT INTO old_people VALUES " + oldRows);
		s.execute("INSERT INTO new_people VALUES " + newRows);
	}

}
