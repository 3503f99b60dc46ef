package dev.ferry.plan.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Statements run as written on one connection, in one transaction.
 *
 * @param id the phase id
 * @param connection the connection the statements run on (the plan's target unless the
 * phase says {@code connection:})
 * @param apply the statements that apply the phase
 * @param rollback the statements that undo them, {@code null} only when irreversible
 * @param irreversible whether the phase cannot be rolled back
 * @param gates ids of the gates of this phase
 */
public record SqlPhase(String id, String connection, String apply, String rollback, boolean irreversible,
		List<String> gates) implements PhaseSpec {

	public SqlPhase {
		gates = List.copyOf(gates);
	}

	/**
	 * What a {@code CREATE TABLE} statement names: its group 1 is the table, without a
	 * schema or quotes.
	 */
	public static final Pattern CREATE_TABLE = Pattern
		.compile("\\bCREATE\\s+(?:(?:GLOBAL|LOCAL)\\s+)?(?:(?:TEMPORARY|TEMP|CACHED|MEMORY|UNLOGGED)\\s+)?TABLE\\s+"
				+ "(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:\"?[A-Za-z_][A-Za-z0-9_]*\"?\\s*\\.\\s*)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?",
				Pattern.CASE_INSENSITIVE);

	@Override
	public Kind kind() {
		return Kind.SQL;
	}

	/** The tables the phase's {@code apply} statements create, in the order written. */
	public List<String> createdTables() {
		List<String> tables = new ArrayList<>();
		if (this.apply != null) {
			Matcher created = CREATE_TABLE.matcher(this.apply);
			while (created.find()) {
				tables.add(created.group(1));
			}
		}
		return tables;
	}

}
