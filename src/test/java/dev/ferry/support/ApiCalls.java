package dev.ferry.support;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * Calls the API as a demo user (Basic authentication with the tests' demo password) and
 * checks the status, saying what came back when it differs.
 */
public final class ApiCalls {

	private final MockMvc mvc;

	private final JsonMapper json;

	public ApiCalls(MockMvc mvc, JsonMapper json) {
		this.mvc = mvc;
		this.json = json;
	}

	/**
	 * The answer's JSON (an empty object for an empty answer).
	 * @param body JSON, or null for none
	 */
	public JsonNode call(String user, HttpMethod method, String path, String body, int expected) throws Exception {
		MockHttpServletRequestBuilder request = request(method, path).with(httpBasic(user, FerryAppTest.DEMO_PASSWORD));
		if (body != null) {
			request.contentType("application/json").content(body);
		}
		MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
		String text = response.getContentAsString(StandardCharsets.UTF_8);
		assertThat(response.getStatus()).as("%s %s %s: %s", user, method, path, text).isEqualTo(expected);
		return text.isBlank() ? this.json.createObjectNode() : this.json.readTree(text);
	}

}
