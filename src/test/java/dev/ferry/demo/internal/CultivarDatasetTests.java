package dev.ferry.demo.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.demo.internal.AhsV2Rules.Import;
import dev.ferry.demo.internal.AhsV2Rules.Imported;
import dev.ferry.demo.internal.AhsV2Rules.Legacy;
import dev.ferry.demo.internal.AhsV2Rules.Mapped;
import dev.ferry.demo.internal.AhsV2Rules.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The demo workspace, generated for real into a temporary data directory (SQLite and H2
 * files), checked against the ahs-v2 plan's rules as {@code plan-format.md} states them.
 */
@Tag("integration")
class CultivarDatasetTests {

	private static final String PLAN_SCHEMA = """
			CREATE TABLE AhsListingV2 (id INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL,
			  hybridizer VARCHAR(100), year INTEGER, fragrant BOOLEAN);
			CREATE TABLE AhsListingV2Map (old_id INTEGER PRIMARY KEY, new_id INTEGER,
			  status VARCHAR(20) NOT NULL, confidence DECIMAL(5,4));
			""";

	private static final String PLAN_SCHEMA_ROLLBACK = """
			DROP TABLE AhsListingV2Map;
			DROP TABLE AhsListingV2;
			""";

	private static final String NO_ORPHANS = "SELECT count(*) FROM Listing l LEFT JOIN AhsListing a ON a.id = l.ahs_id "
			+ "WHERE l.ahs_id IS NOT NULL AND a.id IS NULL";

	@TempDir
	static Path data;

	static Path source;

	static String target;

	static Import imported;

	static List<Legacy> legacy;

	@BeforeAll
	static void generate() throws SQLException {
		source = CultivarDataset.sourceFile(data);
		target = CultivarDataset.targetUrl(data);
		long started = System.nanoTime();
		DemoFigures figures = CultivarDataset.generate(source, target, CultivarDataset.DEFAULT_SEED);
		long millis = (System.nanoTime() - started) / 1_000_000;
		System.out.println("Generated the demo workspace in " + millis + " ms: " + figures);
		imported = AhsV2Rules.importSource(source);
		legacy = AhsV2Rules.legacyListings(target);
	}

	@Test
	void writesBothDatabasesWithThePlantedRowCounts() throws Exception {
		assertThat(source).isRegularFile().hasFileName("cultivars.db");
		assertThat(source.getParent()).isEqualTo(data.resolve("demo"));
		assertThat(data.resolve("demo/app.mv.db")).isRegularFile();
		try (var files = Files.list(source.getParent())) {
			assertThat(files.map((file) -> file.getFileName().toString())).noneMatch((name) -> name.endsWith(".tmp"));
		}
		try (Connection connection = DriverManager.getConnection(CultivarDataset.sourceUrl(source))) {
			assertThat(queryLong(connection, "SELECT count(*) FROM cultivars")).isEqualTo(50_000);
			assertThat(queryLong(connection, "SELECT count(DISTINCT id) FROM cultivars")).isEqualTo(50_000);
			assertThat(queryLong(connection, "SELECT min(id) FROM cultivars")).isEqualTo(1);
			assertThat(queryLong(connection, "SELECT max(id) FROM cultivars")).isEqualTo(50_000);
			assertThat(queryLong(connection, "SELECT count(*) FROM cultivars WHERE name LIKE ' %' OR name LIKE '% '"))
				.isGreaterThan(1000);
			assertThat(queryLong(connection, "SELECT count(*) FROM cultivars WHERE name LIKE '%  %'"))
				.isGreaterThan(1000);
			assertThat(queryLong(connection, "SELECT count(*) FROM cultivars WHERE name LIKE '%è%' OR name LIKE '%é%'"))
				.isGreaterThan(100);
			assertThat(queryLong(connection,
					"SELECT count(*) FROM cultivars WHERE hybridizer IS NULL OR upper(trim(hybridizer)) IN ('', 'N/A', 'UNKNOWN')"))
				.isBetween(3_000L, 5_000L);
		}
		try (Connection connection = DriverManager.getConnection(target, "sa", "")) {
			assertThat(queryLong(connection, "SELECT count(*) FROM AhsListing")).isEqualTo(20_000);
			assertThat(queryLong(connection, "SELECT count(*) FROM Listing")).isEqualTo(30_000);
			assertThat(queryLong(connection, "SELECT count(*) FROM Listing WHERE ahs_id IS NULL")).isEqualTo(1_500);
			assertThat(queryLong(connection, NO_ORPHANS)).isZero();
		}
		assertThat(DemoFigures.PLANTED.cultivars()).isEqualTo(50_000);
		assertThat(DemoFigures.PLANTED.legacyListings()).isEqualTo(20_000);
		assertThat(DemoFigures.PLANTED.listings()).isEqualTo(30_000);
	}

	@Test
	void theImportRejectsAFewRowsForEachKindOfBadValue() {
		Map<String, Long> byRule = imported.rejections()
			.stream()
			.collect(Collectors.groupingBy((reason) -> reason.substring(reason.lastIndexOf(": ") + 2),
					Collectors.counting()));
		assertThat(imported.rejections()).hasSize(DemoFigures.PLANTED.rejected()).hasSize(18);
		assertThat(byRule).containsEntry("required", 6L)
			.containsEntry("type integer", 6L)
			.containsEntry("type boolean", 6L);
		// few-rejects (max 25) passes; v2-count (within 0.5% of the source) passes.
		assertThat(imported.rejections().size()).isLessThanOrEqualTo(25);
		assertThat(imported.rows()).hasSize(49_982);
		assertThat(Math.abs(imported.rows().size() - 50_000)).isLessThanOrEqualTo(250);
	}

	@Test
	void theMappingHasThePlantedOutcomes() {
		List<Mapped> mapped = AhsV2Rules.map(legacy, imported.rows());
		long auto = count(mapped, Status.AUTO);
		long autoByYear = mapped.stream().filter((m) -> m.status() == Status.AUTO && m.candidates() > 1).count();
		long ambiguous = count(mapped, Status.AMBIGUOUS);
		long unresolved = count(mapped, Status.UNRESOLVED);
		System.out.printf("Mapping: auto %d (by year %d), ambiguous %d, unresolved %d%n", auto, autoByYear, ambiguous,
				unresolved);

		DemoFigures planted = DemoFigures.PLANTED;
		assertThat(auto).isEqualTo(planted.auto()).isEqualTo(19_420);
		assertThat(autoByYear).isEqualTo(planted.autoByYear()).isEqualTo(380);
		assertThat(ambiguous).isEqualTo(planted.ambiguous()).isEqualTo(300);
		assertThat(unresolved).isEqualTo(planted.unresolved()).isEqualTo(280);
		assertThat(mapped.stream().filter((m) -> m.status() == Status.AMBIGUOUS && m.candidates() > 1).count())
			.isEqualTo(240);

		// coverage = (auto + manual) / (all - excluded): 97.10% before review
		assertThat(planted.coverageBeforeReview()).isEqualTo(auto / 20_000.0).isLessThan(0.98);
		assertThat(planted.picksToReach(98)).isEqualTo(180);
		assertThat((auto + 179) * 100 >= 98 * 20_000L).isFalse();
		assertThat((auto + 180) * 100 >= 98 * 20_000L).isTrue();
	}

	@Test
	void everyLegacyListingGetsTheOutcomeItWasPlantedFor() {
		List<Planting.LegacyListing> planted = Planting.plant(CultivarDataset.DEFAULT_SEED).legacyListings;
		List<Mapped> mapped = AhsV2Rules.map(legacy, imported.rows());
		assertThat(mapped).hasSameSizeAs(planted);
		for (int i = 0; i < planted.size(); i++) {
			Planting.Outcome outcome = planted.get(i).outcome();
			Status expected = outcome.isAuto() ? Status.AUTO
					: outcome.isAmbiguous() ? Status.AMBIGUOUS : Status.UNRESOLVED;
			assertThat(mapped.get(i).legacy().id()).isEqualTo(planted.get(i).id());
			assertThat(mapped.get(i).status()).as("legacy listing %d, planted %s", planted.get(i).id(), outcome)
				.isEqualTo(expected);
		}
	}

	@Test
	void misspelledLegacyNamesAreOneSlipAwayFromAnImportedName() {
		Set<String> blocks = new HashSet<>();
		imported.rows().values().forEach((row) -> blocks.add(AhsV2Rules.block(row.name())));
		long findable = AhsV2Rules.map(legacy, imported.rows())
			.stream()
			.filter((m) -> m.status() == Status.UNRESOLVED)
			.filter((m) -> oneSlipAway(AhsV2Rules.block(m.legacy().name()), blocks))
			.count();
		assertThat(findable).isEqualTo(270);
	}

	@Test
	void thePlanSchemaRunsOnTheRecommendedTargetUrl(@TempDir Path otherData) throws SQLException {
		String url = CultivarDataset.targetUrl(otherData);
		assertThat(url).startsWith("jdbc:h2:file:" + otherData.toAbsolutePath().toString().replace('\\', '/'))
			.endsWith("/demo/app;NON_KEYWORDS=YEAR,VALUE");
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				Statement statement = connection.createStatement()) {
			for (String sql : PLAN_SCHEMA.split(";")) {
				if (!sql.isBlank()) {
					statement.execute(sql);
				}
			}
			statement.execute("INSERT INTO AhsListingV2 (id, name, hybridizer, year, fragrant) "
					+ "VALUES (1, 'Ruby Spider', 'STOUT', 1990, TRUE)");
			statement.execute(
					"INSERT INTO AhsListingV2Map (old_id, new_id, status, confidence) " + "VALUES (7, 1, 'auto', 1.0)");
			assertThat(queryLong(connection, "SELECT year FROM AhsListingV2 WHERE year = 1990")).isEqualTo(1990);
			statement.execute("CREATE TABLE Measure (value INTEGER)");
			for (String sql : PLAN_SCHEMA_ROLLBACK.split(";")) {
				if (!sql.isBlank()) {
					statement.execute(sql);
				}
			}
		}
		// Without the setting, H2 2.4 reads the plan's unquoted year as the YEAR keyword.
		String plain = url.substring(0, url.indexOf(';'));
		try (Connection connection = DriverManager.getConnection(plain, "sa", "");
				Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.execute(PLAN_SCHEMA.split(";")[0]))
				.withMessageContaining("year");
		}
	}

	@Test
	void thePlanSchemaRunsBesideTheGeneratedTables() throws SQLException {
		try (Connection connection = DriverManager.getConnection(target, "sa", "");
				Statement statement = connection.createStatement()) {
			for (String sql : (PLAN_SCHEMA + PLAN_SCHEMA_ROLLBACK).split(";")) {
				if (!sql.isBlank()) {
					statement.execute(sql);
				}
			}
		}
	}

	@Test
	void theSameSeedGivesTheSameRowsAndAnotherSeedOthers(@TempDir Path again, @TempDir Path other) throws Exception {
		Path againSource = CultivarDataset.sourceFile(again);
		String againTarget = CultivarDataset.targetUrl(again);
		CultivarDataset.generate(againSource, againTarget, CultivarDataset.DEFAULT_SEED);
		Path otherSource = CultivarDataset.sourceFile(other);
		String otherTarget = CultivarDataset.targetUrl(other);
		CultivarDataset.generate(otherSource, otherTarget, CultivarDataset.DEFAULT_SEED + 1);

		assertThat(sourceHash(againSource)).isEqualTo(sourceHash(source));
		assertThat(targetHash(againTarget)).isEqualTo(targetHash(target));
		assertThat(sourceHash(otherSource)).isNotEqualTo(sourceHash(source));
		assertThat(targetHash(otherTarget)).isNotEqualTo(targetHash(target));

		// Another seed, the same figures.
		Import otherImport = AhsV2Rules.importSource(otherSource);
		List<Mapped> otherMapping = AhsV2Rules.map(AhsV2Rules.legacyListings(otherTarget), otherImport.rows());
		assertThat(otherImport.rejections()).hasSize(18);
		assertThat(count(otherMapping, Status.AUTO)).isEqualTo(19_420);
		assertThat(count(otherMapping, Status.AMBIGUOUS)).isEqualTo(300);
		assertThat(count(otherMapping, Status.UNRESOLVED)).isEqualTo(280);

		// Generating again over an existing workspace replaces it with the same rows.
		CultivarDataset.generate(againSource, againTarget, CultivarDataset.DEFAULT_SEED);
		assertThat(sourceHash(againSource)).isEqualTo(sourceHash(source));
		assertThat(targetHash(againTarget)).isEqualTo(targetHash(target));
	}

	@Test
	void theSecondDeliveryChangesAndAddsThePromisedRowsOnce(@TempDir Path delivered) throws Exception {
		Path copy = delivered.resolve("cultivars.db");
		Files.copy(source, copy);

		Delivery delivery = CultivarDataset.deliverSecondBatch(copy).orElseThrow();

		assertThat(delivery).isEqualTo(new Delivery("second", 150, 40));
		Import after = AhsV2Rules.importSource(copy);
		assertThat(after.rejections()).isEqualTo(imported.rejections());
		long updated = imported.rows()
			.values()
			.stream()
			.filter((row) -> !Objects.equals(row, after.rows().get(row.id())))
			.count();
		long inserted = after.rows().keySet().stream().filter((id) -> !imported.rows().containsKey(id)).count();
		assertThat(updated).isEqualTo(150);
		assertThat(inserted).isEqualTo(40);
		// the ids missing after the delivery (AssertJ's containsAll compares every pair:
		// 50,000 x 50,000)
		assertThat(imported.rows().keySet().stream().filter((id) -> !after.rows().containsKey(id))).isEmpty();
		List<Imported> changed = imported.rows()
			.values()
			.stream()
			.filter((row) -> !Objects.equals(row, after.rows().get(row.id())))
			.toList();
		assertThat(changed.stream()
			.filter((row) -> !Objects.equals(row.hybridizer(), after.rows().get(row.id()).hybridizer()))).hasSize(50);
		assertThat(changed.stream()
			.filter((row) -> !Objects.equals(row.fragrant(), after.rows().get(row.id()).fragrant()))).hasSize(50);
		assertThat(changed.stream().filter((row) -> !row.name().equals(after.rows().get(row.id()).name()))).hasSize(50);

		// The mapping does not move: the delivery changes no block key and no tie-breaker
		// value it reads.
		List<Mapped> mapping = AhsV2Rules.map(legacy, after.rows());
		assertThat(count(mapping, Status.AUTO)).isEqualTo(19_420);
		assertThat(count(mapping, Status.AMBIGUOUS)).isEqualTo(300);
		assertThat(count(mapping, Status.UNRESOLVED)).isEqualTo(280);

		String hash = sourceHash(copy);
		assertThat(CultivarDataset.deliverSecondBatch(copy)).isEmpty();
		assertThat(sourceHash(copy)).isEqualTo(hash);
		try (Connection connection = DriverManager.getConnection(CultivarDataset.sourceUrl(copy))) {
			assertThat(queryLong(connection, "SELECT count(*) FROM cultivars")).isEqualTo(50_040);
			assertThat(queryLong(connection, "SELECT count(*) FROM deliveries WHERE name = 'second'")).isEqualTo(1);
		}
	}

	private static boolean oneSlipAway(String key, Set<String> blocks) {
		for (int i = 0; i + 1 < key.length(); i++) {
			String swapped = key.substring(0, i) + key.charAt(i + 1) + key.charAt(i) + key.substring(i + 2);
			if (blocks.contains(swapped)) {
				return true;
			}
		}
		for (int i = 0; i <= key.length(); i++) {
			for (char c = 'a'; c <= 'z'; c++) {
				if (blocks.contains(key.substring(0, i) + c + key.substring(i))) {
					return true;
				}
			}
		}
		return false;
	}

	private static long count(List<Mapped> mapped, Status status) {
		return mapped.stream().filter((m) -> m.status() == status).count();
	}

	private static long queryLong(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	private static String sourceHash(Path file) throws Exception {
		try (Connection connection = DriverManager.getConnection(CultivarDataset.sourceUrl(file))) {
			return hash(connection, "SELECT id, name, hybridizer, year, fragrance FROM cultivars ORDER BY id");
		}
	}

	private static String targetHash(String url) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
			return hash(connection, "SELECT id, name, hybridizer_code, year FROM AhsListing ORDER BY id") + "/"
					+ hash(connection, "SELECT id, ahs_id, title FROM Listing ORDER BY id");
		}
	}

	private static String hash(Connection connection, String sql) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			int columns = result.getMetaData().getColumnCount();
			while (result.next()) {
				for (int i = 1; i <= columns; i++) {
					String value = result.getString(i);
					digest.update(((value != null) ? "v" + value : "null").getBytes(StandardCharsets.UTF_8));
					digest.update((byte) 0);
				}
				digest.update((byte) '\n');
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

}
