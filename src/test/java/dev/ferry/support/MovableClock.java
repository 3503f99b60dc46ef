package dev.ferry.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The application's clock, which a test can move ahead (every module reads time from it;
 * db-scheduler keeps the system's): import it with {@code @Import(MovableClock.class)}
 * and set {@link #AHEAD}, back to zero after the test.
 */
@TestConfiguration(proxyBeanMethods = false)
public class MovableClock {

	public static final AtomicReference<Duration> AHEAD = new AtomicReference<>(Duration.ZERO);

	@Bean
	@Primary
	Clock movableClock() {
		return new Clock() {

			@Override
			public ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(ZoneId zone) {
				return this;
			}

			@Override
			public Instant instant() {
				return Instant.now().plus(AHEAD.get());
			}

		};
	}

}
