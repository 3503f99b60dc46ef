package dev.ferry.gate.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The words an http gate gives when its request fails: never {@code null}, which is what
 * the HTTP client's own exception says for a refused connection.
 */
class GateChecksHttpFailureTests {

	@Test
	void aRefusedConnectionSaysNothingAnsweredAtTheHostAndPort() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("localhost", 0));
			port = socket.getLocalPort();
		}
		URI url = URI.create("http://localhost:" + port + "/collections/x");
		IOException refused = catchThrowableOfType(IOException.class, () -> HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString()));
		assertThat(refused).isInstanceOf(ConnectException.class);
		assertThat(HttpCheck.failure(refused, url)).isNotNull().isNotEqualTo("null").isNotBlank();
		assertThat(HttpCheck.failure(new ConnectException(), url))
			.isEqualTo("nothing answered at localhost:" + port + " (connection refused).");
		assertThat(HttpCheck.failure(new ConnectException(), URI.create("https://vectors.example.com/x")))
			.isEqualTo("nothing answered at vectors.example.com:443 (connection refused).");
	}

	@Test
	void aMessageOfTheExceptionOrOfItsCauseIsKept() {
		URI url = URI.create("http://localhost:6333/");
		assertThat(HttpCheck.failure(new HttpTimeoutException("request timed out"), url))
			.isEqualTo("request timed out");
		assertThat(HttpCheck.failure(new IOException(null, new IOException("Connection reset")), url))
			.isEqualTo("Connection reset");
		assertThat(HttpCheck.failure(new IOException(), url)).isEqualTo("IOException.");
	}

}
