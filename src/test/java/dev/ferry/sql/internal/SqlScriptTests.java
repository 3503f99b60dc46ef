package dev.ferry.sql.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlScriptTests {

	@Test
	void splitsAtSemicolonsOutsideQuotesCommentsAndDollarQuotes() {
		String script = """
				CREATE TABLE t (id INT, note VARCHAR(20) DEFAULT 'a;b');
				-- a comment; with a semicolon
				INSERT INTO "odd;name" VALUES (1, 'it''s; fine');
				/* block; comment */
				CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;
				SELECT $1;
				   ;
				-- only a comment
				""";
		assertThat(SqlScript.statements(script)).containsExactly(
				"CREATE TABLE t (id INT, note VARCHAR(20) DEFAULT 'a;b')",
				"-- a comment; with a semicolon\nINSERT INTO \"odd;name\" VALUES (1, 'it''s; fine')",
				"/* block; comment */\nCREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql",
				"SELECT $1");
	}

	@Test
	void emptyAndMissingScriptsHaveNoStatements() {
		assertThat(SqlScript.statements(null)).isEmpty();
		assertThat(SqlScript.statements("  \n -- nothing\n ; ")).isEmpty();
	}

}
