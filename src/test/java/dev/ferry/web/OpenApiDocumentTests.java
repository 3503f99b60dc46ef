package dev.ferry.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The committed {@code docs/openapi.json} is the description Ferry serves at
 * {@code /v3/api-docs}: a change to the API shows up in review as a change of that file,
 * and CI fails when the two differ. The committed copy leaves out {@code servers} (the
 * address the description was fetched from) and is indented with its keys sorted, so it
 * diffs line by line.
 * <p>
 * After a deliberate change to the API, write the file again with
 * {@code ./mvnw test-compile failsafe:integration-test -Dit.test=OpenApiDocumentTests -Dferry.openapi.write=true}
 * and commit it.
 */
@FerryAppTest
class OpenApiDocumentTests {

	static final Path COMMITTED = Path.of("docs", "openapi.json");

	private static final JsonMapper canonical = JsonMapper.builder()
		.enable(SerializationFeature.INDENT_OUTPUT)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	@Autowired
	MockMvc mvc;

	@Test
	void docsOpenapiJsonIsTheDescriptionFerryServes() throws Exception {
		String served = this.mvc.perform(get("/v3/api-docs").with(httpBasic("viewer", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		String generated = normalized(served);
		if (Boolean.getBoolean("ferry.openapi.write")) {
			Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
		}
		assertThat(Files.exists(COMMITTED)).as("%s exists (write it with -Dferry.openapi.write=true)", COMMITTED)
			.isTrue();
		String committed = Files.readString(COMMITTED, StandardCharsets.UTF_8);
		if (!committed.equals(generated)) {
			throw new AssertionError(COMMITTED + " is not the description Ferry serves at /v3/api-docs. If the API "
					+ "was changed on purpose, write it again with ./mvnw test-compile failsafe:integration-test "
					+ "-Dit.test=OpenApiDocumentTests -Dferry.openapi.write=true and commit it. The difference (committed → served):\n"
					+ diff(committed, generated));
		}
	}

	@Test
	void theComparisonSeesAChangedOperationAndIgnoresTheServer() throws IOException {
		String description = """
				{"openapi":"3.1.0","servers":[{"url":"http://localhost:1234"}],
				 "paths":{"/api/v1/plans":{"get":{"summary":"List plans (VIEWER)"}}},"info":{"title":"Ferry API"}}""";
		String otherPort = description.replace("1234", "5678");
		String changed = description.replace("List plans", "List the plans");
		assertThat(normalized(otherPort)).isEqualTo(normalized(description));
		assertThat(normalized(changed)).isNotEqualTo(normalized(description));
		assertThat(normalized(description)).startsWith("{\n  \"info\"").doesNotContain("servers").endsWith("}\n");
		assertThat(diff(normalized(description), normalized(changed))).contains("-")
			.contains("+")
			.contains("List the plans");
	}

	/** Sorted keys, two-space indentation, a final line break, no {@code servers}. */
	static String normalized(String description) throws IOException {
		JsonNode tree = canonical.readTree(description);
		((ObjectNode) tree).remove("servers");
		Object plain = canonical.treeToValue(tree, Object.class);
		return canonical.writeValueAsString(plain).replace("\r\n", "\n") + "\n";
	}

	private static String diff(String committed, String generated) {
		List<String> before = committed.lines().toList();
		List<String> after = generated.lines().toList();
		List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(COMMITTED.toString(), "/v3/api-docs", before,
				DiffUtils.diff(before, after), 2);
		return String.join("\n", unified.subList(0, Math.min(unified.size(), 120)))
				+ ((unified.size() > 120) ? "\n… (" + (unified.size() - 120) + " more lines)" : "");
	}

}
