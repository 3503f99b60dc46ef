package dev.ferry.plan.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invalid fixtures of {@code plans/invalid}, each with the error
 * {@code plans/invalid/expected.tsv} says it has (the API tests use the same table).
 */
class InvalidPlanTests {

	static final String DIRECTORY = "plans/invalid/";

	record Expected(String file, int line, int column, String path, String message) {

		@Override
		public String toString() {
			return this.file;
		}

	}

	static List<Expected> expected() {
		String tsv = new String(PlanReaderTests.resource("invalid/expected.tsv"), StandardCharsets.UTF_8);
		List<String> lines = tsv.lines().filter((line) -> !line.isBlank()).toList();
		assertThat(lines.get(0)).isEqualTo("file\tline\tcolumn\tpath\tmessage");
		return lines.stream().skip(1).map((line) -> line.split("\t", -1)).map((fields) -> {
			assertThat(fields).as(Arrays.toString(fields)).hasSize(5);
			return new Expected(fields[0], Integer.parseInt(fields[1]), Integer.parseInt(fields[2]), fields[3],
					fields[4]);
		}).toList();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("expected")
	void reportsTheExpectedError(Expected expected) {
		PlanCheck check = PlanReader.read(PlanReaderTests.resource("invalid/" + expected.file()),
				FakePlanEnvironment.ahs());

		assertThat(check.spec()).isNull();
		assertThat(check.valid()).isFalse();
		// every error is about the text: none is a defect of the reader
		assertThat(check.errors()).noneSatisfy(error -> assertThat(error.message()).contains("could not be read"));
		assertThat(check.errors()).anySatisfy((error) -> {
			assertThat(error.message()).contains(expected.message());
			assertThat(error.path()).isEqualTo(expected.path());
			assertThat(error.line()).isEqualTo(expected.line());
			assertThat(error.column()).isEqualTo(expected.column());
		});
	}

	@Test
	void everyFixtureIsListedOnceAndThereAreEnough() throws IOException {
		Set<String> files;
		try (InputStream listing = InvalidPlanTests.class.getClassLoader().getResourceAsStream(DIRECTORY)) {
			files = new String(listing.readAllBytes(), StandardCharsets.UTF_8).lines()
				.filter((name) -> !name.equals("expected.tsv"))
				.collect(Collectors.toSet());
		}
		List<String> listed = expected().stream().map(Expected::file).toList();
		assertThat(listed).doesNotHaveDuplicates();
		assertThat(Set.copyOf(listed)).isEqualTo(files);
		assertThat(listed).hasSizeGreaterThanOrEqualTo(30);
	}

	@Test
	void fixturesAreSmall() {
		expected().forEach(
				(expected) -> assertThat(PlanReaderTests.resource("invalid/" + expected.file())).as(expected.file())
					.hasSizeLessThan(100 * 1024));
	}

}
