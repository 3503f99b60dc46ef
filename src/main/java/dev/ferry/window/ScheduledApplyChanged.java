package dev.ferry.window;

import java.time.Instant;

/**
 * A scheduled apply was scheduled, cancelled, or refused when its window opened (its
 * start is the apply run's own request); published in the transaction that stores it, for
 * the audit log.
 *
 * @param change {@code scheduled}, {@code cancelled} or {@code refused}
 * @param detail when it starts (scheduled), or why it was refused; else null
 */
public record ScheduledApplyChanged(long id, String plan, String phase, String change, String by, String detail,
		Instant at) {
}
