package dev.ferry.audit;

/**
 * The verdict of a walk along the audit log's hash chain.
 *
 * @param ok whether every entry is as it was written, in order, none missing
 * @param checked how many entries were checked
 * @param firstBrokenSeq the first entry whose hash does not follow, or null
 * @param detail what is wrong in words, or what could not be checked; null when all is
 * well
 */
public record ChainCheck(boolean ok, long checked, Long firstBrokenSeq, String detail) {
}
