package dev.ferry.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.plan.PlanOrigin;
import dev.ferry.plan.PlanService;
import dev.ferry.security.SystemActor;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The generated {@code items} data the import benchmarks share: source row {@code i} (id
 * {@code i + 1}) as messy text in a SQLite file, and the same row typed and clean as the
 * plan's rules normalize it, for a PostgreSQL {@code COPY}.
 */
final class BenchItems {

	static final String[] CATEGORIES = { "TOOLS", "GARDEN", "KITCHEN", "TOYS", "BOOKS", "OUTDOOR LIVING" };

	static final String[] YES = { "yes", "Y", "true", "1" };

	static final String[] NO = { "no", "N", "false", "0" };

	static final DateTimeFormatter DOTTED = DateTimeFormatter.ofPattern("dd.MM.yyyy");

	static final LocalDate FIRST_DAY = LocalDate.of(2015, 1, 1);

	/** The source query of the plans. */
	static final String QUERY = "SELECT id, name, category, qty, price, active, updated FROM items";

	/** The PostgreSQL target table (without its primary key). */
	static final String TARGET_COLUMNS = "(id BIGINT NOT NULL, name TEXT, category TEXT, qty INTEGER, "
			+ "price NUMERIC(10, 2), active BOOLEAN, updated DATE)";

	/** The plan's columns and their rules, indented for a phase. */
	static final String PLAN_COLUMNS = """
			    columns:
			      id:       { type: integer }
			      name:     { normalize: [trim, collapse-spaces], required: true }
			      category: { normalize: [trim, collapse-spaces, upper] }
			      qty:      { type: integer, null-if: [""], default: "0" }
			      price:    { type: decimal }
			      active:   { type: boolean }
			      updated:  { type: date, format: dd.MM.yyyy }
			""";

	private BenchItems() {
	}

	static String name(int i) {
		return "Item " + (i + 1);
	}

	static String category(int i) {
		return CATEGORIES[i % CATEGORIES.length];
	}

	static long qty(int i) {
		return (i % 97 == 0) ? 0 : (i * 7L) % 1000;
	}

	static BigDecimal price(int i) {
		return BigDecimal.valueOf((i * 13L) % 100_000, 2);
	}

	static boolean active(int i) {
		return i % 3 != 0;
	}

	static LocalDate updated(int i) {
		return FIRST_DAY.plusDays(i % 3650);
	}

	/** Source row i (id i + 1) as messy text that the plan's rules normalize. */
	static String[] sourceRow(int i) {
		int id = i + 1;
		String category = category(i);
		String name = switch (i % 4) {
			case 0 -> "Item " + id;
			case 1 -> "  Item " + id + " ";
			case 2 -> "Item\u00A0 " + id;
			default -> "\tItem  " + id + "\t";
		};
		String messyCategory = switch (i % 3) {
			case 0 -> category;
			case 1 -> " " + category.toLowerCase(Locale.ROOT).replace(" ", "   ") + " ";
			default -> category.charAt(0) + category.substring(1).toLowerCase(Locale.ROOT) + "\t";
		};
		String qty = (i % 97 == 0) ? "" : (i % 5 == 0) ? " " + qty(i) + " " : String.valueOf(qty(i));
		String price = (i % 3 == 0) ? price(i).stripTrailingZeros().toPlainString()
				: (i % 3 == 1) ? " " + price(i).toPlainString() : price(i).toPlainString();
		String active = active(i) ? YES[i % 4] : NO[i % 4];
		return new String[] { String.valueOf(id), name, messyCategory, qty, price, active, updated(i).format(DOTTED) };
	}

	/**
	 * Writes a SQLite file with table {@code items} of {@code rows} source rows, in one
	 * transaction with batched inserts.
	 */
	static void writeSource(Path sqlite, int rows) throws SQLException, IOException {
		Files.createDirectories(sqlite.getParent());
		Files.deleteIfExists(sqlite);
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite)) {
			try (Statement s = c.createStatement()) {
				s.execute("PRAGMA journal_mode=OFF");
				s.execute("PRAGMA synchronous=OFF");
				s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, category TEXT, qty TEXT, "
						+ "price TEXT, active TEXT, updated TEXT)");
			}
			c.setAutoCommit(false);
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?)")) {
				for (int i = 0; i < rows; i++) {
					String[] row = sourceRow(i);
					insert.setLong(1, i + 1);
					for (int k = 1; k < row.length; k++) {
						insert.setString(k + 1, row[k]);
					}
					insert.addBatch();
					if (i % 10_000 == 9_999) {
						insert.executeBatch();
					}
				}
				insert.executeBatch();
			}
			c.commit();
		}
	}

	/** Starts a {@code COPY table (id, name, ...) FROM STDIN} in text format. */
	static CopyIn copyIn(Connection c, String table) throws SQLException {
		return c.unwrap(PGConnection.class)
			.getCopyAPI()
			.copyIn("COPY " + table + " (id, name, category, qty, price, active, updated) FROM STDIN");
	}

	/** Appends one row in COPY's text format. */
	static void appendCopyLine(StringBuilder chunk, int id, String name, String category, long qty, BigDecimal price,
			boolean active, LocalDate updated) {
		chunk.append(id)
			.append('\t')
			.append(name)
			.append('\t')
			.append(category)
			.append('\t')
			.append(qty)
			.append('\t')
			.append(price.toPlainString())
			.append('\t')
			.append(active ? 't' : 'f')
			.append('\t')
			.append(updated)
			.append('\n');
	}

	/** Sends the chunk to the COPY once it is near 1 MB, or always when {@code last}. */
	static void flush(CopyIn copy, StringBuilder chunk, boolean last) throws SQLException {
		if (last || chunk.length() > (1 << 20) - 200) {
			byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
			copy.writeToCopy(bytes, 0, bytes.length);
			chunk.setLength(0);
		}
	}

	/**
	 * COPYs the {@code rows} source rows as the plan's rules normalize them into
	 * {@code table}; returns the rows the database reports.
	 */
	static long copyClean(Connection c, String table, int rows) throws SQLException {
		CopyIn copy = copyIn(c, table);
		StringBuilder chunk = new StringBuilder(1 << 20);
		for (int i = 0; i < rows; i++) {
			appendCopyLine(chunk, i + 1, name(i), category(i), qty(i), price(i), active(i), updated(i));
			flush(copy, chunk, false);
		}
		flush(copy, chunk, true);
		return copy.endCopy();
	}

	/**
	 * Registers the SQLite source and the PostgreSQL target as connections and saves the
	 * import plan over them, as the system actor.
	 * @param batchSize the plan's {@code batch-size}, or null for Ferry's default
	 * @return the plan's YAML
	 */
	static String registerPlan(ConnectionService connections, PlanService plans, String plan, String source,
			Path sqlite, String target, String targetUrl, Integer batchSize) {
		SystemActor.run(() -> {
			connections.create(new ConnectionCommand(source, "jdbc:sqlite:" + sqlite, null, null, true));
			connections.create(new ConnectionCommand(target, targetUrl, "postgres", null, false));
		});
		String yaml = """
				plan: %s
				source: %s
				target: %s
				phases:
				  - id: import
				    kind: import
				    query: %s
				    table: items
				    key: [id]
				    delete-missing: true
				%s%s\
				gates: []
				""".formatted(plan, source, target, QUERY,
				(batchSize == null) ? "" : "    batch-size: " + batchSize + "\n", PLAN_COLUMNS);
		SystemActor.run(() -> plans.save(null, yaml.getBytes(StandardCharsets.UTF_8), PlanOrigin.API));
		return yaml;
	}

}
