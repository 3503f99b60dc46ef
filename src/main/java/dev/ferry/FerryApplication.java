package dev.ferry;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Ferry, the migration control console. Each direct sub-package is a Spring Modulith
 * module; see {@code docs/architecture.md}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
// the metrics' refresh from the store (ferry.metrics.refresh)
@EnableScheduling
public class FerryApplication {

	static {
		// before H2 is loaded (see H2JavaObjects)
		H2JavaObjects.install();
	}

	public static void main(String[] args) {
		SpringApplication.run(FerryApplication.class, args);
	}

	/** The one clock every module reads time from, so tests can fix it. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
