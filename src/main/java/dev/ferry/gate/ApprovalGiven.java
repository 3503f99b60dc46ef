package dev.ferry.gate;

/**
 * Published when a dry run is approved, in the transaction that records the approval.
 *
 * @param approval the approval
 */
public record ApprovalGiven(Approval approval) {
}
