package dev.ferry.connection;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tables of a connection with their columns and primary keys, as the database names
 * them (H2 folds unquoted names to upper case, PostgreSQL to lower case). Lookups ignore
 * case, so a plan may write {@code AhsListing} for H2's {@code AHSLISTING}.
 */
public record ConnectionCatalog(Map<String, Table> tables) {

	public Optional<Table> table(String name) {
		Table exact = this.tables.get(name);
		if (exact != null) {
			return Optional.of(exact);
		}
		String folded = name.toLowerCase(Locale.ROOT);
		return this.tables.values().stream().filter(t -> t.name().toLowerCase(Locale.ROOT).equals(folded)).findFirst();
	}

	public record Table(String name, List<Column> columns, List<String> primaryKey) {

		public Optional<Column> column(String name) {
			return this.columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
		}

	}

	public record Column(String name, String type, boolean nullable) {
	}

}
