package dev.ferry.window;

import java.time.Instant;

/**
 * An apply asked for the next window.
 *
 * @param startsAt when the window opens and the apply is to start
 * @param state {@code waiting}, {@code started}, {@code refused} (the apply was refused
 * when it was to start: the reasons are in {@code detail}) or {@code cancelled}
 * @param runId the apply run once started, else null
 * @param detail why it was refused, or who cancelled it; else null
 */
public record ScheduledApply(long id, String plan, String phase, int planVersion, String requestedBy,
		Instant requestedAt, Instant startsAt, String state, Long runId, String detail, Instant endedAt) {

	public boolean waiting() {
		return "waiting".equals(this.state);
	}

}
