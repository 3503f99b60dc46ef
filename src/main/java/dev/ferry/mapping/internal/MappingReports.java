package dev.ferry.mapping.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The report files of mapping dry runs, beside the change sets' under
 * {@code <data-dir>/reports/<plan>/<phase>/<run-id>/}: {@code mapping.csv} (every old
 * record with its status and what it maps to, as the dry run ended) and
 * {@code summary.json}. Written into a sibling directory and moved into place when
 * complete, so a reader never sees half a report.
 */
@Component
class MappingReports {

	private final Path root;

	MappingReports(@Value("${ferry.data-dir:./data}") Path dataDir) {
		this.root = dataDir.resolve("reports");
	}

	/**
	 * Writes a run's report files.
	 * @param csv writes {@code mapping.csv}
	 * @param summary the content of {@code summary.json}
	 */
	void write(String plan, String phase, long runId, CsvWriter csv, String summary) {
		// plan and phase ids are [a-z0-9-] (checked when the plan is saved), safe as
		// names
		Path target = this.root.resolve(plan).resolve(phase).resolve(String.valueOf(runId));
		Path draft = target.resolveSibling(runId + ".writing");
		try {
			deleteTree(draft);
			Files.createDirectories(draft);
			try (Writer out = Files.newBufferedWriter(draft.resolve("mapping.csv"), StandardCharsets.UTF_8)) {
				csv.write(out);
			}
			Files.writeString(draft.resolve("summary.json"), summary, StandardCharsets.UTF_8);
			deleteTree(target);
			Files.move(draft, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the mapping reports under " + target + ": " + ex.getMessage(),
					ex);
		}
	}

	private static void deleteTree(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	/** Writes a CSV file. */
	@FunctionalInterface
	interface CsvWriter {

		void write(Writer out) throws IOException;

	}

	/**
	 * A CSV field: quoted when it holds a comma, a quote or a line break; empty for null.
	 */
	static String field(String value) {
		if (value == null) {
			return "";
		}
		boolean quote = false;
		for (int i = 0; i < value.length() && !quote; i++) {
			char c = value.charAt(i);
			quote = c == ',' || c == '"' || c == '\n' || c == '\r';
		}
		return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
	}

}
