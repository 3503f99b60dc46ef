package dev.ferry.runbook;

import java.time.Instant;

/**
 * A production run's checklist was started ({@code item} null), or one of its items
 * ticked or unticked; published in the transaction that stores it, for the audit log.
 */
public record ChecklistChanged(String plan, int version, long checklistId, String item, String label, Change change,
		String by, Instant at) {

	/** What happened to the checklist. */
	public enum Change {

		STARTED("started"), TICKED("ticked"), UNTICKED("unticked");

		private final String code;

		Change(String code) {
			this.code = code;
		}

		public String code() {
			return this.code;
		}

	}

}
