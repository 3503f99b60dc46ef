package dev.ferry.gate;

/**
 * A verify phase failed after an apply.
 *
 * @param plan the plan
 * @param phase the verify phase
 * @param afterApply the apply it checked
 * @param detail the gates that failed, in words
 * @param rollsBack whether its {@code on-fail: rollback} now rolls the plan's applies
 * back
 */
public record VerifyFailed(String plan, String phase, long afterApply, String detail, boolean rollsBack) {

}
