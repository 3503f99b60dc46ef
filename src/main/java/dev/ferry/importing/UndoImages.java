package dev.ferry.importing;

import java.util.Optional;

/**
 * The undo ledgers applies keep in their targets, for retention (ADMIN): what one apply
 * keeps there, and deleting it. An apply whose ledger is gone can no longer be rolled
 * back; whether that is allowed is the caller's decision. A connection that cannot be
 * reached is refused (409) in words.
 */
public interface UndoImages {

	/**
	 * What the target keeps to undo the apply; empty when it keeps nothing of it (the
	 * apply never started writing, or its ledger was purged).
	 */
	Optional<UndoStorage> held(String connection, long applyRun);

	/**
	 * Deletes the apply's before-images and its ledger rows in the target, in one target
	 * transaction.
	 * @return what it freed (nothing when the target keeps nothing of it)
	 */
	UndoStorage purge(String connection, long applyRun);

}
