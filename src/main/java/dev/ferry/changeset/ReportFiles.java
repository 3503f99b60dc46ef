package dev.ferry.changeset;

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
 * The report files of dry runs (a change set's {@code changes.csv}, a mapping's
 * {@code mapping.csv}, each with its {@code summary.json}), under
 * {@code <data-dir>/reports/<plan>/<phase>/<run-id>/}. They are written into a sibling
 * directory and moved into place when complete, so a reader never sees half a report.
 */
@Component
public class ReportFiles {

	private final Path root;

	ReportFiles(@Value("${ferry.data-dir:./data}") Path dataDir) {
		this.root = dataDir.resolve("reports");
	}

	public Path directory(String plan, String phase, long runId) {
		// plan and phase ids are [a-z0-9-] (checked when the plan is saved), safe as
		// names
		return this.root.resolve(plan).resolve(phase).resolve(String.valueOf(runId));
	}

	public Draft draft(String plan, String phase, long runId) {
		Path target = directory(plan, phase, runId);
		Path draft = target.resolveSibling(runId + ".writing");
		try {
			deleteTree(draft);
			Files.createDirectories(draft);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write reports under " + draft.getParent() + ": " + ex.getMessage(),
					ex);
		}
		return new Draft(draft, target);
	}

	/** The size of one published report file of a run, 0 when there is none. */
	public long size(String plan, String phase, long runId, String name) {
		Path file = directory(plan, phase, runId).resolve(name);
		try {
			return Files.isRegularFile(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/**
	 * Deletes one published report file of a run once the current transaction commits (at
	 * once without one): a purge that rolls back keeps the rows, and their copy with them.
	 */
	public void deleteAfterCommit(String plan, String phase, long runId, String name) {
		Path file = directory(plan, phase, runId).resolve(name);
		Runnable delete = () -> {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot delete " + file + ": " + ex.getMessage(), ex);
			}
		};
		if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
			org.springframework.transaction.support.TransactionSynchronizationManager
				.registerSynchronization(new org.springframework.transaction.support.TransactionSynchronization() {

					@Override
					public void afterCommit() {
						delete.run();
					}

				});
		}
		else {
			delete.run();
		}
	}

	/** Forgets the draft of a run's report files, if there is one. */
	public void discardDraft(String plan, String phase, long runId) {
		new Draft(directory(plan, phase, runId).resolveSibling(runId + ".writing"), directory(plan, phase, runId))
			.discard();
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

	/** Report files being written; {@link #publish()} moves them into place. */
	public record Draft(Path directory, Path target) {

		/** A writer that appends to one of the draft's files (and creates it). */
		public Writer appender(String name) throws IOException {
			return Files.newBufferedWriter(this.directory.resolve(name), StandardCharsets.UTF_8,
					java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
		}

		/** Forgets the draft and what was written into it. */
		public void discard() {
			try {
				deleteTree(this.directory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot delete " + this.directory + ": " + ex.getMessage(), ex);
			}
		}

		public Writer writer(String name) throws IOException {
			return Files.newBufferedWriter(this.directory.resolve(name), StandardCharsets.UTF_8);
		}

		public void write(String name, String content) {
			try {
				Files.writeString(this.directory.resolve(name), content, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		public void publish() {
			try {
				deleteTree(this.target);
				Files.move(this.directory, this.target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot move the reports into " + this.target + ": " + ex.getMessage(),
						ex);
			}
		}

	}

}
