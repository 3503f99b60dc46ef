package dev.ferry.security.web;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

import dev.ferry.security.AccountPage;
import dev.ferry.security.AccountService;
import dev.ferry.security.AccountView;
import dev.ferry.security.Role;
import dev.ferry.security.internal.SecurityConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

/**
 * The users list as a full page and as the htmx fragment of the same URL, with the real
 * security configuration (roles, CSRF) in front of it.
 */
@Tag("integration")
@WebMvcTest(UsersController.class)
@Import(SecurityConfiguration.class)
class UsersControllerTests {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	AccountService accounts;

	@MockitoBean
	UserDetailsService userDetailsService;

	@BeforeEach
	void users() {
		Instant created = Instant.parse("2026-11-01T10:00:00Z");
		given(this.accounts.list(any(), any(), anyInt())).willReturn(
				new AccountPage(List.of(new AccountView("ada", EnumSet.of(Role.ADMIN), true, created, created, 0),
						new AccountView("bob", EnumSet.of(Role.VIEWER), false, created, created, 0)), "bob"));
	}

	@Test
	@WithMockUser(roles = "ADMIN")
	void fullPageRendersTheLayoutTheListAndTheCreateForm() throws Exception {
		this.mvc.perform(get("/admin/users"))
			.andExpect(status().isOk())
			.andExpect(view().name("security/users"))
			.andExpect(model().attributeExists("page", "userForm"))
			.andExpect(content().string(containsString("<html")))
			.andExpect(content().string(containsString("class=\"topbar\"")))
			.andExpect(content().string(containsString(">ada</a>")))
			.andExpect(content().string(containsString("Create user")))
			.andExpect(content().string(containsString("after=bob")));
	}

	@Test
	@WithMockUser(roles = "ADMIN")
	void htmxRequestGetsOnlyTheListFragment() throws Exception {
		this.mvc.perform(get("/admin/users").param("q", "a").header("HX-Request", "true"))
			.andExpect(status().isOk())
			.andExpect(view().name("security/users :: list"))
			.andExpect(content().string(containsString("id=\"user-list\"")))
			.andExpect(content().string(containsString(">ada</a>")))
			.andExpect(content().string(not(containsString("<html"))))
			.andExpect(content().string(not(containsString("class=\"topbar\""))))
			.andExpect(content().string(not(containsString("Create user"))));
	}

	@Test
	@WithMockUser(roles = "VIEWER")
	void viewersAreForbidden() throws Exception {
		this.mvc.perform(get("/admin/users")).andExpect(status().isForbidden());
	}

	@Test
	@WithMockUser(roles = "ADMIN")
	void createWithoutCsrfIsRefusedBeforeReachingTheService() throws Exception {
		this.mvc
			.perform(post("/admin/users").param("username", "eve")
				.param("password", "a-long-password")
				.param("roles", "ADMIN"))
			.andExpect(status().isForbidden());
		then(this.accounts).should(never()).create(any());
	}

	@Test
	@WithMockUser(roles = "ADMIN")
	void missingFieldsAreFieldErrors() throws Exception {
		this.mvc.perform(post("/admin/users").with(csrf()).param("username", "").param("password", ""))
			.andExpect(status().isBadRequest())
			.andExpect(view().name("security/users"))
			.andExpect(model().attributeHasFieldErrors("userForm", "username", "password", "roles"));
		then(this.accounts).should(never()).create(any());
	}

}
