package dev.ferry;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.ferry.connection.ConnectionCommand;
import dev.ferry.connection.ConnectionService;
import dev.ferry.security.SystemActor;
import dev.ferry.support.FerryAppTest;
import dev.ferry.support.H2Login;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A user without H2's admin right may still create a {@code JAVA_OBJECT} column, and the
 * H2 driver deserializes its values in Ferry when they are read: Ferry's serializer for
 * H2 ({@link H2JavaObjects}) lets only the JDK's value classes through (issue 20, finding
 * 1).
 */
@FerryAppTest
class H2JavaObjectsIntegrationTests {

	@TempDir
	static Path dir;

	@Autowired
	ConnectionService connections;

	@Test
	void aValueOfAClassOutsideTheListIsNotDeserializedWhenFerryReadsIt() throws Exception {
		String url = "jdbc:h2:file:" + dir.resolve("objects").toAbsolutePath();
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			H2Login.grant(s);
		}
		// what a plan's sql phase could do as Ferry's login
		try (Connection c = DriverManager.getConnection(url, H2Login.USER, H2Login.PASSWORD);
				Statement s = c.createStatement()) {
			s.execute("CREATE TABLE objects (id INT PRIMARY KEY, v JAVA_OBJECT)");
			insert(c, 1, URI.create("https://example.org/gadget").toURL());
			insert(c, 2, 42L);
		}
		SystemActor.run(() -> this.connections
			.create(new ConnectionCommand("objects", url, H2Login.USER, H2Login.PASSWORD, true)));

		try (Connection c = SystemActor.call(() -> this.connections.dataSource("objects")).getConnection();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT v FROM objects ORDER BY id")) {
			rs.next();
			assertThatThrownBy(() -> rs.getObject(1)).isInstanceOf(SQLException.class)
				.hasStackTraceContaining("REJECTED");
			rs.next();
			assertThat(rs.getObject(1)).as("a JDK value class is read").isEqualTo(42L);
		}
	}

	private static void insert(Connection c, int id, Object value) throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		try (PreparedStatement insert = c.prepareStatement("INSERT INTO objects VALUES (?, CAST(? AS JAVA_OBJECT))")) {
			insert.setInt(1, id);
			insert.setBytes(2, bytes.toByteArray());
			insert.executeUpdate();
		}
	}

}
