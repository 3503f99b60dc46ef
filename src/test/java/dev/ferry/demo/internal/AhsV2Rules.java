package dev.ferry.demo.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A straightforward in-memory reading of the ahs-v2 plan's import and mapping phases (as
 * {@code plan-format.md} states them), written independently of the generator so the
 * tests check the generated files against the plan, not the generator against itself.
 */
final class AhsV2Rules {

	private static final Set<String> TRUE = Set.of("true", "yes", "y", "1");

	private static final Set<String> FALSE = Set.of("false", "no", "n", "0");

	private AhsV2Rules() {
	}

	/** A row of AhsListingV2 as the import would write it. */
	record Imported(int id, String name, String hybridizer, Integer year, Boolean fragrant) {
	}

	/** The import's outcome: accepted rows by id, and the rejected rows' reasons. */
	record Import(Map<Integer, Imported> rows, List<String> rejections) {
	}

	/** A row of AhsListing. */
	record Legacy(int id, String name, String hybridizerCode, Integer year) {
	}

	enum Status {

		AUTO, AMBIGUOUS, UNRESOLVED

	}

	/**
	 * One old record's mapping: its status, how many candidates, best score in tenths.
	 */
	record Mapped(Legacy legacy, Status status, int candidates, int bestTenths) {
	}

	static Import importSource(Path sqliteFile) throws SQLException {
		Map<Integer, Imported> rows = new LinkedHashMap<>();
		List<String> rejections = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
				Statement statement = connection.createStatement();
				ResultSet result = statement
					.executeQuery("SELECT id, name, hybridizer, year, fragrance FROM cultivars")) {
			while (result.next()) {
				int id = Integer.parseInt(result.getString("id"));
				String name = result.getString("name");
				String hybridizer = result.getString("hybridizer");
				String year = result.getString("year");
				String fragrance = result.getString("fragrance");

				if (name != null) {
					name = collapseSpaces(name.trim());
				}
				if (name == null) {
					rejections.add(id + ": name: NULL: required");
					continue;
				}
				if (hybridizer != null) {
					hybridizer = hybridizer.trim().toUpperCase(Locale.ROOT);
					if (Set.of("", "N/A", "UNKNOWN").contains(hybridizer)) {
						hybridizer = null;
					}
				}
				Integer parsedYear = null;
				if (year != null && !year.equals("")) {
					try {
						parsedYear = Integer.valueOf(year);
					}
					catch (NumberFormatException ex) {
						rejections.add(id + ": year: '" + year + "': type integer");
						continue;
					}
				}
				Boolean fragrant = null;
				if (fragrance != null) {
					String lower = fragrance.toLowerCase(Locale.ROOT);
					if (TRUE.contains(lower)) {
						fragrant = true;
					}
					else if (FALSE.contains(lower)) {
						fragrant = false;
					}
					else {
						rejections.add(id + ": fragrant: '" + fragrance + "': type boolean");
						continue;
					}
				}
				rows.put(id, new Imported(id, name, hybridizer, parsedYear, fragrant));
			}
		}
		return new Import(rows, rejections);
	}

	static List<Legacy> legacyListings(String targetUrl) throws SQLException {
		List<Legacy> legacy = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(targetUrl, "sa", "");
				Statement statement = connection.createStatement();
				ResultSet result = statement
					.executeQuery("SELECT id, name, hybridizer_code, year FROM AhsListing ORDER BY id")) {
			while (result.next()) {
				legacy.add(new Legacy(result.getInt(1), result.getString(2), result.getString(3),
						(Integer) result.getObject(4)));
			}
		}
		return legacy;
	}

	/**
	 * The mapping phase: block on the normalized name, score with year (0.6) and
	 * hybridizer (0.4, trim + upper), accept at min-score 0.8 and min-margin 0.2. Scores
	 * are kept in tenths to stay exact.
	 */
	static List<Mapped> map(List<Legacy> legacy, Map<Integer, Imported> imported) {
		Map<String, List<Imported>> blocks = new HashMap<>();
		for (Imported row : imported.values()) {
			blocks.computeIfAbsent(block(row.name()), (key) -> new ArrayList<>()).add(row);
		}
		List<Mapped> mapped = new ArrayList<>(legacy.size());
		for (Legacy old : legacy) {
			List<Imported> candidates = (old.name() != null) ? blocks.getOrDefault(block(old.name()), List.of())
					: List.of();
			int best = 0;
			int second = 0;
			for (Imported candidate : candidates) {
				int score = 0;
				if (old.year() != null && candidate.year() != null && old.year().equals(candidate.year())) {
					score += 6;
				}
				String oldCode = (old.hybridizerCode() != null) ? old.hybridizerCode().trim().toUpperCase(Locale.ROOT)
						: null;
				String newCode = (candidate.hybridizer() != null)
						? candidate.hybridizer().trim().toUpperCase(Locale.ROOT) : null;
				if (oldCode != null && newCode != null && oldCode.equals(newCode)) {
					score += 4;
				}
				if (score > best) {
					second = best;
					best = score;
				}
				else if (score > second) {
					second = score;
				}
			}
			Status status = candidates.isEmpty() ? Status.UNRESOLVED
					: (best >= 8 && best - second >= 2) ? Status.AUTO : Status.AMBIGUOUS;
			mapped.add(new Mapped(old, status, candidates.size(), best));
		}
		return mapped;
	}

	static String block(String name) {
		String lower = collapseSpaces(name.trim()).toLowerCase(Locale.ROOT);
		return Normalizer.normalize(lower, Normalizer.Form.NFD).replaceAll("\\p{InCombiningDiacriticalMarks}", "");
	}

	private static String collapseSpaces(String text) {
		return text.replaceAll("\\s{2,}", " ");
	}

}
