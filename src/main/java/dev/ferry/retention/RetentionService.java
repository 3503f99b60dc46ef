package dev.ferry.retention;

import java.util.List;

/**
 * Purges the storage of finished runs that nothing needs any more (ADMIN, every method).
 * What may be purged, and why the rest is kept, is decided in one place for the preview,
 * the purge, the schedule and the API alike:
 * <ul>
 * <li>a change set's rows once a newer change set of its phase is sealed, or it ended
 * longer ago than {@code ferry.retention.max-age}, unless it is the dry run the phase's
 * review, approvals and next apply use, or an apply of it stands;</li>
 * <li>a mapping dry run's items once a newer dry run of its phase is sealed (the latest
 * is what the review queue, coverage, gates and approvals read);</li>
 * <li>an apply's before-images once it can no longer be rolled back: it was rolled back,
 * or it does not stand; an apply that stands only when it succeeded and has stood, as
 * applied or verified, longer than {@code ferry.retention.max-age} (then it becomes
 * final: its rollback is refused with the purge's reason).</li>
 * </ul>
 * Nothing of a plan is purged while one of its runs is active.
 */
public interface RetentionService {

	/** The dry run of a purge: what it would free now, what it keeps and why. */
	PurgePreview preview();

	/**
	 * Purges exactly these: refused (409, with a reason for each, nothing purged) when
	 * any of them may not be purged now; 404 for a run that does not exist. Each is
	 * checked again and purged in a transaction of its own with its phase held, and
	 * recorded in the audit log.
	 */
	PurgeResult purge(List<PurgeTarget> targets);

	/** Purges everything the preview would list now (the schedule). */
	PurgeResult purgeAll();

	/** The latest purges, newest first. */
	List<PurgeRecord> history(int limit);

}
