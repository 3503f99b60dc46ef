package dev.ferry.demo.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The data of the legacy-identities sample plan, written on plain JDBC connections so the
 * same rows go into the demo's H2 files and a test's PostgreSQL databases: the legacy
 * directory's {@code users} (the source) and the new identity system's {@code subjects}
 * (the target). Nothing is random: every row follows from its number, and what is planted
 * is listed in {@code docs/scenarios/legacy-identities.md}.
 *
 * <p>
 * Planted among the {@value #LEGACY_USERS} legacy users: {@value #AUTO} match one subject
 * by e-mail (after trim and lower case) and name, {@value #CONFLICT} are duplicate
 * accounts, pairs of users resolving to the same subject, {@value #AMBIGUOUS} found their
 * subject by e-mail but with another name and department, and {@value #UNRESOLVED} have
 * no subject (they left, or have no e-mail at all).
 */
public final class LegacyIdentitiesDataset {

	/** Rows of the legacy {@code users} table. */
	public static final int LEGACY_USERS = 300;

	/** Rows of the identity system's {@code subjects} table. */
	public static final int SUBJECTS = 300;

	/** Legacy users the rules map alone. */
	public static final int AUTO = 274;

	/** Legacy users in duplicate pairs: two accounts, one subject. */
	public static final int CONFLICT = 8;

	/** Legacy users whose one candidate has another name and department. */
	public static final int AMBIGUOUS = 6;

	/** Legacy users without a subject. */
	public static final int UNRESOLVED = 12;

	/** The people of the directory, numbered from 1; the last users are duplicates. */
	static final int PEOPLE = 296;

	/** New hires: subjects no legacy user maps to. */
	static final int NEW_HIRES = 16;

	/** The people whose second legacy account is a duplicate (ids 297 to 300). */
	static final int[] DUPLICATED = { 7, 57, 107, 157 };

	private static final String[] FIRST = { "Anna", "Björn", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro",
			"Ines", "Jonas", "Katarina", "Luis", "Maja", "Nikolai", "Olivia", "Pedro", "Quinn", "Rosa", "Stefan",
			"Tanja", "Umar", "Vera", "Wen", "Xavier", "Yara", "Zoë", "Amir", "Bea", "Chloé", "Dario" };

	private static final String[] LAST = { "Berg", "Castillo", "Dubois", "Eriksson", "Fischer", "García", "Hansen",
			"Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi",
			"Schmidt", "Tanaka", "Ulrich", "Varga", "Wójcik", "Xu", "Yilmaz", "Zimmermann", "Andersen", "Brandt",
			"Costa", "Novak", "Øster" };

	private static final String[] DEPARTMENTS = { "Finance", "Engineering", "Sales", "Support", "Legal", "Operations" };

	private static final String DOMAIN = "@northwind.example";

	private LegacyIdentitiesDataset() {
	}

	/** A legacy user as the directory holds it. */
	record LegacyUser(int id, String login, String email, String displayName, String department) {
	}

	/** A subject of the identity system. */
	record Subject(String subjectId, String email, String fullName, String department) {
	}

	/**
	 * Writes the legacy directory's {@code users}, replacing an earlier copy, in one
	 * transaction.
	 * @param connection the legacy directory database
	 * @throws SQLException if it cannot be written
	 */
	public static void writeDirectory(Connection connection) throws SQLException {
		inTransaction(connection, () -> {
			try (Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS users");
				statement.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, login VARCHAR(60) NOT NULL, "
						+ "email VARCHAR(200), display_name VARCHAR(200), department VARCHAR(40))");
			}
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO users (id, login, email, display_name, department) VALUES (?, ?, ?, ?, ?)")) {
				for (LegacyUser user : users()) {
					insert.setInt(1, user.id());
					insert.setString(2, user.login());
					insert.setString(3, user.email());
					insert.setString(4, user.displayName());
					insert.setString(5, user.department());
					insert.addBatch();
				}
				insert.executeBatch();
			}
		});
	}

	/**
	 * Writes the identity system's {@code subjects}, replacing an earlier copy, in one
	 * transaction; {@code legacy_user_map} is left to the plan's {@code schema} phase.
	 * @param connection the identity database
	 * @throws SQLException if it cannot be written
	 */
	public static void writeIdentity(Connection connection) throws SQLException {
		inTransaction(connection, () -> {
			try (Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS subjects");
				statement.execute("CREATE TABLE subjects (subject_id VARCHAR(36) PRIMARY KEY, "
						+ "email VARCHAR(200) NOT NULL UNIQUE, full_name VARCHAR(200) NOT NULL, department VARCHAR(40))");
			}
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO subjects (subject_id, email, full_name, department) VALUES (?, ?, ?, ?)")) {
				for (Subject subject : subjects()) {
					insert.setString(1, subject.subjectId());
					insert.setString(2, subject.email());
					insert.setString(3, subject.fullName());
					insert.setString(4, subject.department());
					insert.addBatch();
				}
				insert.executeBatch();
			}
		});
	}

	/**
	 * The subject id of a person: a name-based UUID, the same on every run.
	 * @param person the number of the person, from 1
	 * @return the subject id
	 */
	public static String subjectId(int person) {
		return UUID.nameUUIDFromBytes(("northwind-subject-" + person).getBytes(java.nio.charset.StandardCharsets.UTF_8))
			.toString();
	}

	static List<LegacyUser> users() {
		List<LegacyUser> users = new ArrayList<>(LEGACY_USERS);
		for (int n = 1; n <= PEOPLE; n++) {
			String first = first(n);
			String last = last(n);
			String email = messyEmail(n, email(n));
			if (n == 96) {
				email = null;
			}
			else if (n == 192) {
				email = "   ";
			}
			String name = first + " " + last;
			if (n % 40 == 9) {
				// a typo in the old directory: one letter of the surname missing
				name = first + " " + last.substring(0, last.length() - 1);
			}
			else if (n % 4 == 1) {
				name = " " + first.toLowerCase(Locale.ROOT) + "  " + last.toUpperCase(Locale.ROOT);
			}
			else if (n % 4 == 2) {
				name = ascii(name);
			}
			users.add(new LegacyUser(n, login(n), email, name, DEPARTMENTS[n % DEPARTMENTS.length]));
		}
		for (int i = 0; i < DUPLICATED.length; i++) {
			int n = DUPLICATED[i];
			// the same person's second account, made when the first was locked
			users.add(new LegacyUser(PEOPLE + 1 + i, login(n) + ".old", " " + email(n).toUpperCase(Locale.ROOT),
					first(n) + " " + last(n), DEPARTMENTS[n % DEPARTMENTS.length]));
		}
		return users;
	}

	static List<Subject> subjects() {
		List<Subject> subjects = new ArrayList<>(SUBJECTS);
		for (int n = 1; n <= PEOPLE + NEW_HIRES; n++) {
			if (n <= PEOPLE && unresolved(n)) {
				continue;
			}
			String last = last(n);
			String department = DEPARTMENTS[n % DEPARTMENTS.length];
			if (n <= PEOPLE && ambiguous(n)) {
				// married and moved team since the legacy directory last heard of them
				last = LAST[(index(n) + 11) % LAST.length];
				department = DEPARTMENTS[(n + 1) % DEPARTMENTS.length];
			}
			subjects.add(new Subject(subjectId(n), email(n), first(n) + " " + last, department));
		}
		return subjects;
	}

	/** Left before the migration (no subject), or no e-mail in the directory. */
	static boolean unresolved(int person) {
		return person % 24 == 0;
	}

	static boolean ambiguous(int person) {
		return person % 50 == 13;
	}

	private static String first(int n) {
		return FIRST[n % FIRST.length];
	}

	private static int index(int n) {
		return (n / FIRST.length + n) % LAST.length;
	}

	private static String last(int n) {
		return LAST[index(n)];
	}

	private static String email(int n) {
		return (ascii(first(n)) + "." + ascii(last(n)) + DOMAIN).toLowerCase(Locale.ROOT);
	}

	private static String ascii(String name) {
		String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
		return decomposed.replace("Ø", "O").replace("ø", "o");
	}

	private static String login(int n) {
		return (ascii(first(n)).charAt(0) + ascii(last(n))).toLowerCase(Locale.ROOT) + n;
	}

	private static String messyEmail(int n, String email) {
		if (n % 3 == 0) {
			return email.toUpperCase(Locale.ROOT);
		}
		if (n % 5 == 0) {
			return "  " + email + " ";
		}
		if (n % 7 == 0) {
			return Character.toUpperCase(email.charAt(0)) + email.substring(1, email.indexOf('@'))
					+ email.substring(email.indexOf('@')).toUpperCase(Locale.ROOT);
		}
		return email;
	}

	private static void inTransaction(Connection connection, SqlWork work) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try {
			work.run();
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

	@FunctionalInterface
	private interface SqlWork {

		void run() throws SQLException;

	}

}
