package dev.ferry.retention.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The retention settings.
 *
 * @param maxAge {@code ferry.retention.max-age} ({@code FERRY_RETENTION_MAX_AGE}, such as
 * {@code P90D} or {@code 90d}): change sets and mapping results that nothing needs are
 * purged once they ended longer ago than this, and an apply that has stood, settled, this
 * long becomes final (its before-images are purged, so it can no longer be rolled back).
 * Unset (the default): nothing is purged by age, and an apply that stands is never
 * purged.
 * @param schedule {@code ferry.retention.schedule} ({@code FERRY_RETENTION_SCHEDULE}): a
 * cron expression with seconds ({@code 0 0 3 * * *}: every night at 3) on which Ferry
 * purges everything purgeable by itself, as {@code ferry-system}. Unset or {@code -} (the
 * default): only when an admin asks.
 */
@ConfigurationProperties("ferry.retention")
record RetentionProperties(Duration maxAge, String schedule) {

	RetentionProperties {
		if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
			throw new IllegalArgumentException(
					"ferry.retention.max-age (FERRY_RETENTION_MAX_AGE) must be a positive duration such as P90D, not "
							+ maxAge + "; leave it unset to purge nothing by age.");
		}
		schedule = (schedule == null || schedule.isBlank() || schedule.strip().equals("-")) ? null : schedule.strip();
	}

}
