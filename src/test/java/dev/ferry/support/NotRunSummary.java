package dev.ferry.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.util.FileSystemUtils;

/**
 * Run by the build around Failsafe ({@code exec:java}, see the pom): {@code reset} before
 * it forgets the counts of an earlier run; {@code report} after it adds up what every
 * test JVM counted ({@link NotRunReport}) and prints one line, "N browser tests not run:
 * Chromium not found — …", framed so that it is seen at the end of the build.
 */
public final class NotRunSummary {

	private NotRunSummary() {
	}

	public static void main(String[] args) throws IOException {
		Path directory = Path.of(args[1]).resolve(NotRunReport.DIRECTORY.getFileName());
		if ("reset".equals(args[0])) {
			FileSystemUtils.deleteRecursively(directory);
			return;
		}
		if (!Files.isDirectory(directory)) {
			return;
		}
		int count = 0;
		String reason = null;
		List<Path> files;
		try (Stream<Path> list = Files.list(directory)) {
			files = list.filter(file -> file.toString().endsWith(".txt")).sorted().toList();
		}
		for (Path file : files) {
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			count += Integer.parseInt(lines.get(0).strip());
			reason = (reason != null) ? reason : lines.get(1);
		}
		if (count == 0) {
			return;
		}
		String line = count + " browser test" + ((count == 1) ? "" : "s") + " not run: " + reason;
		String rule = "!".repeat(Math.min(line.length() + 3, 110));
		System.out.println();
		System.out.println(rule);
		System.out.println("!! " + line);
		System.out.println("!! The build passes without them; CI (.ci/run) sets ferry.test.browser=required.");
		System.out.println(rule);
		System.out.println();
	}

}
