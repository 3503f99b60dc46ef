package dev.ferry.security.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code ferry.metrics.token} ({@code FERRY_METRICS_TOKEN}): a bearer token with which a
 * Prometheus server may read {@code /actuator/prometheus} and nothing else; unset, only
 * admins may (signed in, or with an admin's API token). At least 24 characters.
 */
@ConfigurationProperties("ferry.metrics")
record MetricsProperties(String token) {

	MetricsProperties {
		if (token != null && !token.isBlank() && token.strip().length() < 24) {
			throw new IllegalArgumentException(
					"ferry.metrics.token (FERRY_METRICS_TOKEN) must be at least 24 characters; it has "
							+ token.strip().length() + ".");
		}
		token = (token == null || token.isBlank()) ? null : token.strip();
	}

}
