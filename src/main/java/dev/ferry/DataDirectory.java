package dev.ferry;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code ferry.data-dir} absolute before anything reads it. H2 refuses a file URL
 * whose path is implicitly relative ({@code jdbc:h2:file:data/store}), so
 * {@code FERRY_DATA_DIR=data} would otherwise stop Ferry at start-up; every other reader
 * (reports, spill files, the demo workspace) gets the same folder either way.
 */
class DataDirectory implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY = "ferry.data-dir";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String dir = environment.getProperty(PROPERTY);
		if (dir == null || dir.isBlank() || dir.startsWith("~")) {
			return;
		}
		Path path = Path.of(dir.strip());
		if (!path.isAbsolute()) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("ferryDataDirectory",
						Map.of(PROPERTY, path.toAbsolutePath().normalize().toString())));
		}
	}

	@Override
	public int getOrder() {
		// after the configuration files and the environment have been read
		return Ordered.LOWEST_PRECEDENCE;
	}

}
