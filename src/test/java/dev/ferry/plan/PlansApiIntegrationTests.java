package dev.ferry.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Plans through the API and the editor on the demo workspace: every malformed or hostile
 * fixture answers 422 with its line and column, in the API and in the editor page; saving
 * is versioned by content; the diff shows exactly the changed lines.
 */
@FerryAppTest
class PlansApiIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient store;

	record Fixture(String file, int line, int column, String path, String message) {

		@Override
		public String toString() {
			return this.file;
		}

	}

	static List<Fixture> fixtures() {
		String tsv = new String(resource("plans/invalid/expected.tsv"), StandardCharsets.UTF_8);
		return tsv.lines().skip(1).filter(line -> !line.isBlank()).map(line -> line.split("\t", -1)).map(f -> {
			return new Fixture(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], f[4]);
		}).toList();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("fixtures")
	void everyMalformedOrHostilePlanIs422WithItsLineAndColumn(Fixture fixture) throws Exception {
		this.mvc
			.perform(put("/api/v1/plans/x").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(resource("plans/invalid/" + fixture.file())))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.error").value("The plan is not valid."))
			.andExpect(jsonPath("$.errors[?(@.line == %d && @.column == %d && @.path == '%s')].message", fixture.line(),
					fixture.column(), fixture.path())
				.value(hasItem(containsString(fixture.message()))));
	}

	/**
	 * The YAML fixtures: a browser form always sends UTF-8, so the bytes fixture is the
	 * API's alone.
	 */
	static List<Fixture> textFixtures() {
		return fixtures().stream().filter(fixture -> fixture.file().endsWith(".yaml")).toList();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("textFixtures")
	void theEditorShowsTheSameErrors(Fixture fixture) throws Exception {
		String yaml = new String(resource("plans/invalid/" + fixture.file()), StandardCharsets.UTF_8);
		this.mvc.perform(post("/plans").session(admin()).with(csrf()).param("yaml", yaml))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("the plan was not saved")))
			.andExpect(content().string(containsString("line " + fixture.line() + ", column " + fixture.column())))
			.andExpect(content().string(containsString("id=\"line-" + fixture.line() + "\"")))
			.andExpect(content().string(containsString("line-error")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("fixtures")
	void theCheckAnswersEveryFixtureWithTheSameProblemAndSavesNothing(Fixture fixture) throws Exception {
		this.mvc
			.perform(post("/api/v1/plans/check").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(resource("plans/invalid/" + fixture.file())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.valid").value(false))
			.andExpect(jsonPath("$.plan").doesNotExist())
			.andExpect(jsonPath("$.errors[?(@.line == %d && @.column == %d && @.path == '%s')].message", fixture.line(),
					fixture.column(), fixture.path())
				.value(hasItem(containsString(fixture.message()))));
	}

	@Test
	void theCheckNamesThePlanAndWhatSavingWouldVoidWithoutSavingAndOnlyForAdmins() throws Exception {
		String text = Files.readString(Path.of("config/plans/ahs-v2.yaml"));
		long versions = this.store.sql("SELECT count(*) FROM plan_versions").query(Long.class).single();
		this.mvc
			.perform(post("/api/v1/plans/check").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(text))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.valid").value(true))
			.andExpect(jsonPath("$.plan").value("ahs-v2"))
			.andExpect(jsonPath("$.errors").isEmpty())
			.andExpect(jsonPath("$.voided.phases").isEmpty());
		// a changed gate would void its phase and the phases after it
		this.mvc
			.perform(post("/api/v1/plans/check").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(text.replace("at-least: 98%", "at-least: 97%")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.valid").value(true))
			.andExpect(jsonPath("$.voided.phases").value(hasItem("map")))
			.andExpect(jsonPath("$.voided.keptPhases").value(hasItem("import")));
		this.mvc
			.perform(post("/api/v1/plans/check").with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(text))
			.andExpect(status().isForbidden());
		assertThat(this.store.sql("SELECT count(*) FROM plan_versions").query(Long.class).single()).isEqualTo(versions);
	}

	@Test
	void aDocumentOverOneMebibyteIsRefusedWithoutBeingParsed() throws Exception {
		byte[] huge = ("plan: huge\n# " + "x".repeat(1_100_000) + "\n").getBytes(StandardCharsets.UTF_8);
		this.mvc
			.perform(put("/api/v1/plans/huge").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(huge))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors[0].line").value(1))
			.andExpect(jsonPath("$.errors[0].column").value(1))
			.andExpect(jsonPath("$.errors[0].message").value(containsString("1 MiB")));
	}

	@Test
	void theDemoPlanIsLoadedWithItsConnections() throws Exception {
		this.mvc.perform(get("/api/v1/plans").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$[?(@.plan == 'ahs-v2')].title").value(hasItem("AHS V2 cultivar dataset")));
		this.mvc.perform(get("/api/v1/connections").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$[*].name").value(org.hamcrest.Matchers.hasItems("cultivars", "app")));
		this.mvc
			.perform(post("/api/v1/connections/cultivars/test").with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$.ok").value(true))
			.andExpect(jsonPath("$.tables[?(@.name == 'cultivars')].rows").value(hasItem(50000)));
		this.mvc.perform(post("/api/v1/connections/app/test").with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(jsonPath("$.ok").value(true))
			.andExpect(jsonPath("$.tables[?(@.name == 'AHSLISTING')].rows").value(hasItem(20000)))
			.andExpect(jsonPath("$.tables[?(@.name == 'LISTING')].rows").value(hasItem(30000)));
	}

	@Test
	void sameTextKeepsTheVersionAChangedTextIsTheNextAndTheDiffShowsExactlyTheChange() throws Exception {
		String original = Files.readString(Path.of("config/plans/ahs-v2.yaml"))
			.replace("plan: ahs-v2", "plan: ahs-copy");
		MvcResult first = this.mvc
			.perform(put("/api/v1/plans/ahs-copy").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(original))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.version").value(1))
			.andReturn();
		this.mvc
			.perform(put("/api/v1/plans/ahs-copy").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(original.replace("\n", "\r\n")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.version").value(1))
			.andExpect(jsonPath("$.created").value(false));
		String changed = original.replace("tolerance: 0.5%", "tolerance: 1%")
			.replace("title: AHS V2 cultivar dataset", "title: AHS V2 cultivar dataset (second try)");
		this.mvc
			.perform(put("/api/v1/plans/ahs-copy").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(changed))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.version").value(2));
		assertThat(first.getResponse().getContentAsString()).contains("\"sha256\"");
		assertThat(
				this.store.sql("SELECT count(*) FROM plan_versions WHERE plan = 'ahs-copy'").query(Long.class).single())
			.isEqualTo(2);

		this.mvc.perform(get("/api/v1/plans/ahs-copy/versions/1").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(content().contentTypeCompatibleWith("application/yaml"))
			.andExpect(content().string(original));

		String diff = this.mvc.perform(get("/plans/ahs-copy/diff").param("from", "1").param("to", "2").session(admin()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("2 lines added, 2 removed")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(count(diff, "class=\"diff-added\"")).isEqualTo(2);
		assertThat(count(diff, "class=\"diff-removed\"")).isEqualTo(2);
		assertThat(diff).contains("title: AHS V2 cultivar dataset (second try)")
			.contains("tolerance: 1%")
			.contains("unchanged lines");
	}

	@Test
	void theIdInTheTextMustMatchTheAddress() throws Exception {
		String yaml = Files.readString(Path.of("config/plans/ahs-v2.yaml"));
		this.mvc
			.perform(put("/api/v1/plans/another-name").with(httpBasic("admin", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(yaml))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors[0].line").value(1))
			.andExpect(jsonPath("$.errors[0].message").value(containsString("saved as 'another-name'")));
	}

	@Test
	void onlyAdminsSavePlans() throws Exception {
		this.mvc
			.perform(put("/api/v1/plans/ahs-v2").with(httpBasic("operator", FerryAppTest.DEMO_PASSWORD))
				.contentType("application/yaml")
				.content(Files.readString(Path.of("config/plans/ahs-v2.yaml"))))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/plans/ahs-v2/edit").session(viewer())).andExpect(status().isForbidden());
		this.mvc.perform(get("/plans/ahs-v2").session(viewer()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("mapping-coverage")))
			.andExpect(content().string(not(containsString("Edit plan"))));
	}

	private static int count(String text, String needle) {
		int count = 0;
		for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
			count++;
		}
		return count;
	}

	static byte[] resource(String name) {
		try (InputStream in = PlansApiIntegrationTests.class.getClassLoader().getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalArgumentException("No test resource " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private MockHttpSession admin() throws Exception {
		return ConsoleSession.signIn(this.mvc, "admin");
	}

	private MockHttpSession viewer() throws Exception {
		return ConsoleSession.signIn(this.mvc, "viewer");
	}

}
