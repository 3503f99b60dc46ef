package dev.ferry;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Turns off H2's value cache ({@code h2.objectCache}) unless it was set explicitly. The
 * cache hashes every string H2 reads to share equal values; Ferry's store reads millions
 * of change-row values that never repeat (an apply reads each once), so the hashing was a
 * fifth of the time an apply spent reading its change set. Set before H2 is first used,
 * which reads the property once.
 */
class H2ValueCache implements EnvironmentPostProcessor {

	static final String PROPERTY = "h2.objectCache";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (System.getProperty(PROPERTY) == null) {
			System.setProperty(PROPERTY, "false");
		}
	}

}
