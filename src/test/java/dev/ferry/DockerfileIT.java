package dev.ferry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.ferry.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code Dockerfile}'s stages still fit the jar the build makes, checked without a
 * Docker engine: its own extraction command runs against the built jar, every layer
 * directory it copies exists and none is left behind, the layers put together as its
 * {@code COPY} lines do (with {@code config/}) start Ferry through its
 * {@code ENTRYPOINT}, and its {@code HEALTHCHECK} address answers {@code UP} once Ferry
 * is ready.
 */
@Tag("integration")
class DockerfileIT {

	private static final Path DOCKERFILE = Path.of("Dockerfile");

	private static final Pattern EXTRACT = Pattern
		.compile("java (-Djarmode=tools) -jar (target/\\S+) (extract --layers --launcher --destination (\\S+))");

	private static final Pattern COPY_LAYER = Pattern
		.compile("(?m)^COPY --from=build /build/extracted/([^/\\s]+)/ \\./$");

	private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$");

	private static final Pattern HEALTHCHECK = Pattern.compile("CMD curl -fsS http://localhost:8080(/\\S+)");

	@TempDir
	Path dir;

	private Process ferry;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.ferry != null) {
			this.ferry.destroy();
			if (!this.ferry.waitFor(60, TimeUnit.SECONDS)) {
				this.ferry.destroyForcibly().waitFor();
			}
		}
	}

	@Test
	void theImageStagesFitTheBuiltJarAndTheContainerStartsAndIsReady() throws Exception {
		String dockerfile = Files.readString(DOCKERFILE, StandardCharsets.UTF_8);

		// the build stage's extraction, as written, against the jar the build made
		Matcher extract = EXTRACT.matcher(dockerfile);
		assertThat(extract.find()).as("the Dockerfile extracts the layers with the jar's tools mode").isTrue();
		Path jar = onlyMatch(extract.group(2));
		assertThat(jar.toAbsolutePath().normalize())
			.isEqualTo(Path.of(System.getProperty("ferry.jar", "target/ferry-0.1.0-SNAPSHOT.jar"))
				.toAbsolutePath()
				.normalize());
		List<String> command = new ArrayList<>(
				List.of(java(), extract.group(1), "-jar", jar.toAbsolutePath().toString()));
		command.addAll(List.of(extract.group(3).split(" ")));
		Path build = Files.createDirectories(this.dir.resolve("build"));
		Process extraction = new ProcessBuilder(command).directory(build.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("extract.log").toFile())
			.start();
		assertThat(extraction.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(extraction.exitValue()).as(Files.readString(this.dir.resolve("extract.log"))).isZero();
		Path extracted = build.resolve(extract.group(4));

		// the run stage's COPY lines: each layer exists, and none is left out
		List<String> copied = new ArrayList<>();
		Matcher copy = COPY_LAYER.matcher(dockerfile);
		while (copy.find()) {
			copied.add(copy.group(1));
		}
		TreeSet<String> layers = new TreeSet<>();
		try (Stream<Path> list = Files.list(extracted)) {
			list.filter(Files::isDirectory).forEach(layer -> layers.add(layer.getFileName().toString()));
		}
		assertThat(copied).as("the layers the Dockerfile copies, in its order")
			.containsExactlyInAnyOrderElementsOf(layers)
			.startsWith("dependencies")
			.endsWith("application");

		// the image's /app: the layers in the Dockerfile's order, then config/
		Path app = Files.createDirectories(this.dir.resolve("app"));
		for (String layer : copied) {
			FileSystemUtils.copyRecursively(extracted.resolve(layer), app);
		}
		assertThat(dockerfile).contains("COPY config/ /app/config/");
		FileSystemUtils.copyRecursively(Path.of("config"), app.resolve("config"));

		Matcher entrypoint = ENTRYPOINT.matcher(dockerfile);
		assertThat(entrypoint.find()).isTrue();
		List<String> run = Stream.of(entrypoint.group(1).split(","))
			.map(String::strip)
			.map(part -> part.substring(1, part.length() - 1))
			.toList();
		assertThat(run.get(0)).isEqualTo("java");
		String launcher = run.get(run.size() - 1);
		assertThat(app.resolve(launcher.replace('.', '/') + ".class")).as("the ENTRYPOINT's class in the layers")
			.isRegularFile();

		// the container's start, as docker run would do it: demo mode, /app as the
		// working directory (data under /app/data), the port given as SERVER_PORT
		int port = freePort();
		List<String> start = new ArrayList<>(run);
		start.set(0, java());
		ProcessBuilder container = new ProcessBuilder(start).directory(app.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("ferry.log").toFile());
		container.environment().put("SERVER_PORT", String.valueOf(port));
		container.environment().put("JAVA_TOOL_OPTIONS", "-Xmx512m -XX:TieredStopAtLevel=1");
		this.ferry = container.start();

		Matcher healthcheck = HEALTHCHECK.matcher(dockerfile);
		assertThat(healthcheck.find()).as("the HEALTHCHECK calls an address of Ferry").isTrue();
		assertThat(healthcheck.group(1)).isEqualTo("/actuator/health/readiness");
		URI health = URI.create("http://localhost:" + port + healthcheck.group(1));
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		Await.until(() -> {
			assertThat(this.ferry.isAlive()).as("Ferry is running: %s", log()).isTrue();
			try {
				return http
					.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
							HttpResponse.BodyHandlers.ofString())
					.statusCode() == 200;
			}
			catch (IOException ex) {
				return false; // not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}, "the HEALTHCHECK's " + health + " to answer 200");
		String body = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).body();
		assertThat(body).isEqualTo("{\"status\":\"UP\"}");
		assertThat(app.resolve("data/store/ferry.mv.db")).as("the store under /app/data, the image's VOLUME")
			.isRegularFile();
		assertThat(dockerfile).contains("VOLUME /app/data");
	}

	/** The one file of {@code target/} the Dockerfile's shell pattern names. */
	private static Path onlyMatch(String pattern) throws IOException {
		Path folder = Path.of(pattern).getParent();
		PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + Path.of(pattern).getFileName());
		List<Path> matches;
		try (Stream<Path> files = Files.list(folder)) {
			matches = files.filter(file -> matcher.matches(file.getFileName())).toList();
		}
		assertThat(matches).as("the files %s matches in %s", pattern, folder).hasSize(1);
		return matches.get(0);
	}

	private String log() {
		try {
			List<String> lines = Files.readAllLines(this.dir.resolve("ferry.log"));
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
