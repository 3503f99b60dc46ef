package dev.ferry.connection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A "PostgreSQL server" that accepts the TCP connection and then says nothing (issue 20,
 * finding 9): testing the connection answers that it timed out, within the configured
 * test timeout (10 s by default), instead of holding the request for minutes.
 */
@FerryAppTest
class SilentServerIntegrationTests {

	@Autowired
	MockMvc mvc;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private ServerSocket server;

	@AfterEach
	void close() throws IOException {
		for (Socket socket : this.accepted) {
			socket.close();
		}
		this.server.close();
	}

	@Test
	void testingAServerThatNeverAnswersTimesOutInWords() throws Exception {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			while (!this.server.isClosed()) {
				try {
					// held open, never read from or written to
					this.accepted.add(this.server.accept());
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "silent-postgres");
		acceptor.setDaemon(true);
		acceptor.start();
		this.mvc
			.perform(post("/api/v1/connections").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType(MediaType.APPLICATION_JSON)
				.content("""
						{"name": "silent-pg", "jdbcUrl": "jdbc:postgresql://127.0.0.1:%d/app", "username": "app"}
						""".formatted(this.server.getLocalPort())))
			.andExpect(status().isCreated());
		// far above the 10 s the setting allows: only a hang (300 s before) exceeds it
		assertTimeoutPreemptively(Duration.ofSeconds(90), () -> this.mvc
			.perform(post("/api/v1/connections/silent-pg/test").with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.ok").value(false))
			.andExpect(jsonPath("$.message").value(containsString("timed out"))));
		assertThat(this.accepted).as("the driver did reach the silent server").isNotEmpty();
	}

}
