package dev.ferry.support;

import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;

/**
 * Signs in to the console through its own login form, as a browser would, and returns the
 * session to send the next requests with (forms still need their CSRF token).
 */
public final class ConsoleSession {

	private ConsoleSession() {
	}

	/** Signs in a demo user with the tests' demo password. */
	public static MockHttpSession signIn(MockMvc mvc, String username) throws Exception {
		return signIn(mvc, username, FerryAppTest.DEMO_PASSWORD);
	}

	public static MockHttpSession signIn(MockMvc mvc, String username, String password) throws Exception {
		return (MockHttpSession) mvc.perform(formLogin("/login").user(username).password(password))
			.andExpect(authenticated().withUsername(username))
			.andReturn()
			.getRequest()
			.getSession(false);
	}

}
