package dev.ferry.mapping;

/**
 * What a reviewer decides, against the version of the item they saw.
 *
 * @param status {@code manual} or {@code excluded}
 * @param newKey the chosen new record, for {@code manual}
 * @param reason required for {@code excluded}
 * @param version the item's version the form was opened with (0 before any decision)
 */
public record DecisionCommand(MatchStatus status, String newKey, String reason, long version) {

}
