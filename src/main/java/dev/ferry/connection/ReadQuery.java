package dev.ferry.connection;

import java.util.Optional;

import dev.ferry.problem.RefusedException;

/**
 * A plan's reading query (an sql gate's or a query-unchanged gate's {@code query}, an
 * import's source {@code query}) is one statement. H2 and PostgreSQL's driver run every
 * statement of {@code SELECT 1; DROP TABLE t} however it is executed, so a query that
 * only reads must not be able to carry a second one.
 * <p>
 * The rule holds by construction instead of by parsing each database's SQL: a semicolon
 * may only end the query. Telling a semicolon inside a string or a comment from one
 * between statements would take each database's own lexer (PostgreSQL's {@code E'\''},
 * dollar quotes, H2's modes), and a lexer that disagrees with the database in one corner
 * is a way through. A query that compares with a semicolon writes {@code CHR(59)}.
 */
public final class ReadQuery {

	private ReadQuery() {
	}

	/**
	 * Why {@code sql} is not one statement, or empty when it is.
	 * @param sql the query as the plan gives it
	 * @return the reason, naming the text after the first semicolon
	 */
	public static Optional<String> secondStatement(String sql) {
		if (sql == null) {
			return Optional.empty();
		}
		String text = sql.strip();
		int semicolon = text.indexOf(';');
		if (semicolon < 0 || semicolon == text.length() - 1) {
			return Optional.empty();
		}
		String before = abbreviate(text.substring(0, semicolon).strip());
		return Optional.of("A query here is one statement that reads, and a semicolon may only end it: this one has "
				+ "more after '" + before + ";'. Write CHR(59) for a semicolon inside a string.");
	}

	/**
	 * The query to run: {@code sql} without a final semicolon.
	 * @throws RefusedException when it holds more than one statement (a plan saved before
	 * the rule)
	 */
	public static String statement(String sql) {
		Optional<String> second = secondStatement(sql);
		if (second.isPresent()) {
			throw new RefusedException("plan.query.statements", second.get());
		}
		String text = sql.strip();
		return text.endsWith(";") ? text.substring(0, text.length() - 1).strip() : text;
	}

	private static String abbreviate(String text) {
		String line = text.replaceAll("\\s+", " ");
		return (line.length() <= 40) ? line : "…" + line.substring(line.length() - 39);
	}

}
