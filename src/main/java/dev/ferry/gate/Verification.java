package dev.ferry.gate;

import java.time.Instant;

/**
 * A verify phase's verdict after the apply before it.
 *
 * @param phase the verify phase
 * @param afterApply the apply it verified
 * @param passed whether every error-level gate passed
 * @param rollsBack whether it rolls the plan's applies back ({@code on-fail: rollback})
 * @param detail the failed gates, in words, or null
 * @param rollbackRun the rollback it is waiting for, or null
 * @param rollbackOutcome {@code done} when every apply is rolled back, why the rollback
 * stopped otherwise, null while it goes on (or when there is none)
 * @param rolledBack how many applies it has rolled back
 * @param verifiedAt when
 */
public record Verification(String phase, long afterApply, boolean passed, boolean rollsBack, String detail,
		Long rollbackRun, String rollbackOutcome, int rolledBack, Instant verifiedAt) {

	/** Whether the rollback it started is still going. */
	public boolean rollingBack() {
		return !this.passed && this.rollsBack && this.rollbackOutcome == null;
	}

}
