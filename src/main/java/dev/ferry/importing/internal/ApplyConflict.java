package dev.ferry.importing.internal;

import java.util.List;
import java.util.Locale;

import dev.ferry.run.CountedFailure;
import dev.ferry.run.RunCounts;

/** A batch refused because rows changed since the dry run; names the first keys. */
final class ApplyConflict extends IllegalStateException implements CountedFailure {

	/** How many conflicting keys a failed apply names; the rest are counted. */
	static final int CONFLICTS_NAMED = 20;

	private final long conflicts;

	ApplyConflict(List<String> conflicts, String table, long dryRun) {
		super(message(conflicts, table, dryRun));
		this.conflicts = conflicts.size();
	}

	@Override
	public RunCounts counts() {
		return new RunCounts(0, 0, 0, 0, 0, 0, this.conflicts);
	}

	private static String message(List<String> conflicts, String table, long dryRun) {
		StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
				"Conflict: %d row(s) of %s changed since dry run #%d, so this batch was not written (nothing of "
						+ "it remains): ",
				conflicts.size(), table, dryRun));
		text.append(String.join("; ", conflicts.subList(0, Math.min(CONFLICTS_NAMED, conflicts.size()))));
		if (conflicts.size() > CONFLICTS_NAMED) {
			text.append(String.format(Locale.ROOT, "; and %d more", conflicts.size() - CONFLICTS_NAMED));
		}
		return text.append(". Run a new dry run, review it and apply that.").toString();
	}

}
