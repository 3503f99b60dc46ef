package dev.ferry.demo.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import dev.ferry.connection.ConnectionCommand;

import org.springframework.stereotype.Component;

/**
 * The demo data of the sample plan {@code baseline-registration}: the SQLite metadata
 * store {@code textbooks.db} (3 textbooks, 220 chapters: 92, 74 and 54; a few thousand
 * paragraphs) behind the writable connection {@code textbooks}, and the JSON a Qdrant
 * vector store would answer for its collection {@code textbook_paragraphs}, under
 * {@code vector-store/collections/}, so that {@code python3 -m http.server 6333} can
 * stand in for it.
 */
@Component
class BaselineRegistrationScenario implements DemoScenario {

	static final String PLAN = "baseline-registration";

	static final String CONNECTION = "textbooks";

	static final String DATABASE = "textbooks.db";

	static final String COLLECTION = "vector-store/collections/textbook_paragraphs";

	/** The textbooks, with their chapter counts. */
	static final List<String> TITLES = List.of("Foundations of Plant Genetics", "Soil and Water", "Field Botany");

	static final int[] CHAPTERS = { 92, 74, 54 };

	@Override
	public String plan() {
		return PLAN;
	}

	@Override
	public boolean generate(Path demoDirectory) throws Exception {
		Path database = demoDirectory.resolve(DATABASE);
		Path collection = demoDirectory.resolve(COLLECTION);
		if (Files.exists(database) && Files.exists(collection)) {
			return false;
		}
		writeDatabase(database);
		Files.createDirectories(collection.getParent());
		Path temporary = collection.resolveSibling(collection.getFileName() + ".tmp");
		Files.writeString(temporary, collectionJson(paragraphCount()), StandardCharsets.UTF_8);
		DemoFiles.move(temporary, collection);
		return true;
	}

	@Override
	public List<ConnectionCommand> connections(Path demoDirectory) {
		return List.of(new ConnectionCommand(CONNECTION, url(demoDirectory.resolve(DATABASE)), null, null, false));
	}

	static String url(Path file) {
		return "jdbc:sqlite:" + file.toAbsolutePath();
	}

	/** How many paragraphs a chapter has: 8 to 20, fixed by its id. */
	static int paragraphsOf(int chapterId) {
		return 8 + (chapterId * 7) % 13;
	}

	/** The paragraphs of all 220 chapters. */
	static int paragraphCount() {
		int total = 0;
		for (int chapter = 1; chapter <= chapterCount(); chapter++) {
			total += paragraphsOf(chapter);
		}
		return total;
	}

	static int chapterCount() {
		int total = 0;
		for (int count : CHAPTERS) {
			total += count;
		}
		return total;
	}

	/**
	 * What {@code GET /collections/textbook_paragraphs} of a Qdrant holding one point per
	 * paragraph answers (its shape, with the figures that matter).
	 * @param points the points count to report
	 * @return the JSON text
	 */
	static String collectionJson(long points) {
		return String.format(Locale.ROOT, """
				{"result":{"status":"green","optimizer_status":"ok","indexed_vectors_count":%d,\
				"points_count":%d,"segments_count":2,"config":{"params":{"vectors":\
				{"size":384,"distance":"Cosine"},"shard_number":1,"replication_factor":1,\
				"on_disk_payload":true}},"payload_schema":{}},"status":"ok","time":0.000021}
				""", points, points);
	}

	private static void writeDatabase(Path database) throws SQLException, IOException {
		Path temporary = database.resolveSibling(database.getFileName() + ".tmp");
		Files.deleteIfExists(temporary);
		try (Connection connection = DriverManager.getConnection(url(temporary))) {
			try (Statement statement = connection.createStatement()) {
				// the file is moved into place only once complete
				statement.execute("PRAGMA journal_mode = MEMORY");
				statement.execute("PRAGMA synchronous = OFF");
			}
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE textbooks (id INTEGER PRIMARY KEY, title TEXT NOT NULL)");
				statement.execute("CREATE TABLE chapters (id INTEGER PRIMARY KEY, "
						+ "textbook_id INTEGER NOT NULL REFERENCES textbooks(id), number INTEGER NOT NULL, "
						+ "title TEXT NOT NULL)");
				statement.execute("CREATE TABLE paragraphs (id INTEGER PRIMARY KEY, "
						+ "chapter_id INTEGER NOT NULL REFERENCES chapters(id), number INTEGER NOT NULL, "
						+ "body TEXT NOT NULL)");
			}
			insert(connection);
			connection.commit();
		}
		DemoFiles.move(temporary, database);
	}

	private static void insert(Connection connection) throws SQLException {
		try (PreparedStatement textbook = connection.prepareStatement("INSERT INTO textbooks VALUES (?, ?)");
				PreparedStatement chapter = connection.prepareStatement("INSERT INTO chapters VALUES (?, ?, ?, ?)");
				PreparedStatement paragraph = connection
					.prepareStatement("INSERT INTO paragraphs VALUES (?, ?, ?, ?)")) {
			int chapterId = 0;
			int paragraphId = 0;
			for (int book = 1; book <= TITLES.size(); book++) {
				textbook.setInt(1, book);
				textbook.setString(2, TITLES.get(book - 1));
				textbook.addBatch();
				for (int number = 1; number <= CHAPTERS[book - 1]; number++) {
					chapterId++;
					chapter.setInt(1, chapterId);
					chapter.setInt(2, book);
					chapter.setInt(3, number);
					chapter.setString(4, "Chapter " + number + " of " + TITLES.get(book - 1));
					chapter.addBatch();
					for (int p = 1; p <= paragraphsOf(chapterId); p++) {
						paragraphId++;
						paragraph.setInt(1, paragraphId);
						paragraph.setInt(2, chapterId);
						paragraph.setInt(3, p);
						paragraph.setString(4, "Paragraph " + p + " of chapter " + number + ": "
								+ "lorem ipsum ".repeat(1 + (paragraphId % 5)).strip() + ".");
						paragraph.addBatch();
					}
				}
			}
			textbook.executeBatch();
			chapter.executeBatch();
			paragraph.executeBatch();
		}
	}

}
