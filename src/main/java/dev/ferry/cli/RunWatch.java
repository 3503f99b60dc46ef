package dev.ferry.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * Follows a run to its end by asking for it every poll: a progress bar on standard error
 * when that is a terminal, plain lines (a new state, or news every ten seconds)
 * otherwise, so a log has no control characters.
 */
final class RunWatch {

	static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled", "rolled-back");

	static final Set<String> ACTIVE = Set.of("queued", "running");

	private static final Duration NEWS_EVERY = Duration.ofSeconds(10);

	private static final int BAR = 30;

	private RunWatch() {
	}

	/**
	 * The run once it has ended.
	 * @param timeout how long to wait at most, or null for as long as it takes
	 * @param again the command that attaches to the run again, said on a timeout
	 * @throws CliException {@link Exit#TIMED_OUT} when the timeout passes first
	 */
	static JsonNode follow(Api api, Out out, long id, Duration timeout, Duration poll, String again) {
		Instant started = Instant.now();
		Instant deadline = (timeout == null) ? null : started.plus(timeout);
		String lastState = null;
		long lastDone = -1;
		Instant lastNews = Instant.MIN;
		boolean drawn = false;
		while (true) {
			JsonNode run = api.get("/api/v1/runs/" + id);
			String state = run.path("state").asString();
			long done = run.at("/progress/done").asLong();
			JsonNode total = run.at("/progress/total");
			Instant now = Instant.now();
			String label = label(run);
			if (out.terminal) {
				out.err.print("\r" + bar(label, state, done, total, Duration.between(started, now)) + "\u001b[K");
				out.err.flush();
				drawn = true;
			}
			else if (!state.equals(lastState) || (done != lastDone && !now.isBefore(lastNews.plus(NEWS_EVERY)))) {
				out.note(label + " " + state + (done > 0 || total.isNumber() ? ": " + rows(done, total) : ""));
				lastNews = now;
				lastDone = done;
			}
			lastState = state;
			if (ENDED.contains(state)) {
				if (drawn) {
					out.err.println();
				}
				return run;
			}
			if (deadline != null && !now.isBefore(deadline)) {
				if (drawn) {
					out.err.println();
				}
				throw new CliException(Exit.TIMED_OUT,
						"Timed out after " + Durations.words(timeout) + " waiting for " + label + " (" + state + ", "
								+ rows(done, total) + "); it goes on in Ferry.",
						List.of("Wait for it again with: " + again));
			}
			pause(poll, now, deadline, label);
		}
	}

	/**
	 * Sleeps one poll, or until the deadline when that comes first.
	 * @param deadline when waiting ends, or null for never
	 * @param what what is waited for, for the message of an interruption
	 */
	static void pause(Duration poll, Instant now, Instant deadline, String what) {
		Duration sleep = poll;
		if (deadline != null && Duration.between(now, deadline).compareTo(sleep) < 0) {
			sleep = Duration.between(now, deadline);
		}
		try {
			Thread.sleep(Math.max(1, sleep.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException(Exit.UNAVAILABLE, "Interrupted while waiting for " + what + ".");
		}
	}

	/** "dry run #12 of plan · phase". */
	static String label(JsonNode run) {
		String mode = run.path("mode").asString().replace('-', ' ');
		return mode + " #" + run.path("id").asLong() + " of " + run.path("plan").asString() + " · "
				+ run.path("phase").asString();
	}

	static String rows(long done, JsonNode total) {
		if (total.isNumber() && total.asLong() > 0) {
			return String.format(Locale.ROOT, "%,d of %,d (%d%%)", done, total.asLong(),
					Math.min(100, done * 100 / total.asLong()));
		}
		return String.format(Locale.ROOT, "%,d done", done);
	}

	private static String bar(String label, String state, long done, JsonNode total, Duration elapsed) {
		String filled;
		if (total.isNumber() && total.asLong() > 0) {
			int width = (int) Math.min(BAR, done * BAR / total.asLong());
			filled = "[" + "#".repeat(width) + "-".repeat(BAR - width) + "] ";
		}
		else {
			filled = "";
		}
		long seconds = elapsed.toSeconds();
		if (state.equals("queued")) {
			return String.format(Locale.ROOT, "%s queued, waiting for a worker  %d:%02d", label, seconds / 60,
					seconds % 60);
		}
		return String.format(Locale.ROOT, "%s %s %s%s  %d:%02d", label, state, filled, rows(done, total), seconds / 60,
				seconds % 60);
	}

	/** The counts of a run in one line. */
	static String counts(JsonNode run) {
		JsonNode counts = run.path("counts");
		StringBuilder line = new StringBuilder();
		for (String count : new String[] { "read", "inserted", "updated", "unchanged", "deleted", "rejected",
				"conflicts" }) {
			long value = counts.path(count).asLong();
			if (value == 0 && (count.equals("conflicts") || count.equals("read"))) {
				continue;
			}
			line.append(line.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d", count, value));
		}
		return line.toString();
	}

	static Duration took(JsonNode run) {
		String started = Api.text(run.get("startedAt"));
		String finished = Api.text(run.get("finishedAt"));
		if (started == null || finished == null) {
			return Duration.ZERO;
		}
		return Duration.between(Instant.parse(started), Instant.parse(finished));
	}

	/**
	 * Ends the command by how the run ended: 0 when it succeeded, else
	 * {@link Exit#FAILED} with its error.
	 */
	static void outcome(JsonNode run) {
		String state = run.path("state").asString();
		if (state.equals("succeeded")) {
			return;
		}
		String error = Api.text(run.get("error"));
		String label = label(run);
		throw new CliException(Exit.FAILED, switch (state) {
			case "cancelled" -> label + " was cancelled" + (error == null ? "." : ": " + error);
			case "rolled-back" -> label + " was rolled back" + (error == null ? "." : ": " + error);
			default -> label + " failed" + (error == null ? "." : ": " + error);
		});
	}

}
