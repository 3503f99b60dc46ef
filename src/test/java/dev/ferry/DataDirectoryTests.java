package dev.ferry;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** A relative {@code ferry.data-dir} becomes the same folder, absolute; others stay. */
class DataDirectoryTests {

	@ParameterizedTest
	@CsvSource({ "data, data", "./data, data", "data/ui/../ui, data/ui", "target/test-data, target/test-data" })
	void aRelativeFolderIsResolvedAgainstTheWorkingDirectory(String given, String expected) {
		assertThat(resolved(given)).isEqualTo(Path.of(expected).toAbsolutePath().normalize().toString());
	}

	@ParameterizedTest
	@CsvSource({ "/var/lib/ferry", "~/ferry" })
	void absoluteAndHomeFoldersAreLeftAsGiven(String given) {
		assertThat(resolved(given)).isEqualTo(given);
	}

	private static String resolved(String dir) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addLast(new MapPropertySource("test", Map.of("ferry.data-dir", dir)));
		new DataDirectory().postProcessEnvironment(environment, new SpringApplication());
		return environment.getProperty("ferry.data-dir");
	}

}
