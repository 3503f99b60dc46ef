package dev.ferry.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Signs in to the console through its own login form, as a browser would, and returns the
 * session to send the next requests with (forms still need their CSRF token).
 */
public final class ConsoleSession {

	/** A new token as the profile page shows it, in its read-only field. */
	public static final Pattern TOKEN = Pattern.compile("value=\"(ferry_[A-Za-z0-9_-]{43})\"");

	private ConsoleSession() {
	}

	/** Signs in a demo user with the tests' demo password. */
	public static MockHttpSession signIn(MockMvc mvc, String username) throws Exception {
		return signIn(mvc, username, FerryAppTest.DEMO_PASSWORD);
	}

	/**
	 * Makes an API token on the profile page and reads it off the answer, as a person
	 * copies it.
	 */
	public static String makeToken(MockMvc mvc, MockHttpSession session, String name, int days) throws Exception {
		String page = mvc
			.perform(post("/profile/tokens").param("name", name)
				.param("days", String.valueOf(days))
				.session(session)
				.with(csrf()))
			.andReturn()
			.getResponse()
			.getContentAsString();
		Matcher found = TOKEN.matcher(page);
		assertThat(found.find()).as("the profile page shows the new token %s", name).isTrue();
		return found.group(1);
	}

	public static MockHttpSession signIn(MockMvc mvc, String username, String password) throws Exception {
		return (MockHttpSession) mvc.perform(formLogin("/login").user(username).password(password))
			.andExpect(authenticated().withUsername(username))
			.andReturn()
			.getRequest()
			.getSession(false);
	}

}
