package dev.ferry.security;

import java.util.EnumSet;

import dev.ferry.problem.RefusedException;
import dev.ferry.support.ConsoleSession;
import dev.ferry.support.FerryAppTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Admins manage users through the pages; every user changes their own password. */
@FerryAppTest
class AccountAdministrationIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Test
	void adminCreatesAUserWhoCanThenSignIn() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin", FerryAppTest.DEMO_PASSWORD);
		this.mvc
			.perform(post("/admin/users").session(admin)
				.with(csrf())
				.param("username", "carla")
				.param("password", "carla-password-1")
				.param("roles", "REVIEWER", "OWNER"))
			.andExpect(redirectedUrl("/admin/users"))
			.andExpect(flash().attribute("flashCode", "users.created"));

		this.mvc.perform(formLogin("/login").user("carla").password("carla-password-1"))
			.andExpect(authenticated().withRoles("REVIEWER", "OWNER"));
		this.mvc.perform(get("/admin/users").param("q", "carl").session(admin))
			.andExpect(content().string(containsString(">carla</a>")))
			.andExpect(content().string(containsString("Reviewer")));
	}

	@Test
	void weakPasswordAndTakenNameAreRefusedWithTheReasonOnThePage() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin", FerryAppTest.DEMO_PASSWORD);
		this.mvc
			.perform(post("/admin/users").session(admin)
				.with(csrf())
				.param("username", "shorty")
				.param("password", "short")
				.param("roles", "VIEWER"))
			.andExpect(status().isBadRequest())
			.andExpect(model().attributeHasErrors("userForm"))
			.andExpect(content().string(containsString("A password needs at least 12 characters.")));
		this.mvc
			.perform(post("/admin/users").session(admin)
				.with(csrf())
				.param("username", "viewer")
				.param("password", "long-enough-password")
				.param("roles", "VIEWER"))
			.andExpect(content().string(containsString("The user name viewer is taken.")));
		this.mvc
			.perform(post("/admin/users").session(admin)
				.with(csrf())
				.param("username", "Bad Name!")
				.param("password", "long-enough-password")
				.param("roles", "VIEWER"))
			.andExpect(content().string(containsString("A user name is 2 to 64 characters")));
		this.mvc
			.perform(post("/admin/users").session(admin)
				.with(csrf())
				.param("username", "noroles")
				.param("password", "long-enough-password"))
			.andExpect(model().attributeHasFieldErrors("userForm", "roles"));
	}

	@Test
	void adminChangesRolesResetsThePasswordAndDisablesAUser() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin", FerryAppTest.DEMO_PASSWORD);
		this.mvc.perform(post("/admin/users").session(admin)
			.with(csrf())
			.param("username", "dario")
			.param("password", "dario-password-1")
			.param("roles", "VIEWER"));

		this.mvc.perform(post("/admin/users/dario/roles").session(admin).with(csrf()).param("roles", "OPERATOR"))
			.andExpect(redirectedUrl("/admin/users/dario"))
			.andExpect(flash().attribute("flashCode", "users.rolesChanged"));
		this.mvc.perform(formLogin("/login").user("dario").password("dario-password-1"))
			.andExpect(authenticated().withRoles("OPERATOR"));

		this.mvc
			.perform(post("/admin/users/dario/password").session(admin)
				.with(csrf())
				.param("password", "dario-password-2")
				.param("confirm", "dario-password-2"))
			.andExpect(flash().attribute("flashCode", "users.passwordReset"));
		this.mvc.perform(formLogin("/login").user("dario").password("dario-password-1")).andExpect(unauthenticated());
		this.mvc.perform(formLogin("/login").user("dario").password("dario-password-2")).andExpect(authenticated());

		this.mvc.perform(post("/admin/users/dario/enabled").session(admin).with(csrf()).param("enabled", "false"))
			.andExpect(flash().attribute("flashCode", "users.disabled"));
		this.mvc.perform(formLogin("/login").user("dario").password("dario-password-2"))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?error"));

		this.mvc.perform(post("/admin/users/dario/enabled").session(admin).with(csrf()).param("enabled", "true"));
		this.mvc.perform(formLogin("/login").user("dario").password("dario-password-2")).andExpect(authenticated());
	}

	@Test
	void theLastAdminCannotLockFerryOut() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin", FerryAppTest.DEMO_PASSWORD);
		this.mvc.perform(post("/admin/users/admin/roles").session(admin).with(csrf()).param("roles", "VIEWER"))
			.andExpect(flash().attribute("flashKind", "error"))
			.andExpect(flash().attribute("flashCode", "account.admin.keepRole"));
		this.mvc.perform(post("/admin/users/admin/enabled").session(admin).with(csrf()).param("enabled", "false"))
			.andExpect(flash().attribute("flashCode", "account.disable.self"));
		this.mvc.perform(formLogin("/login").user("admin").password(FerryAppTest.DEMO_PASSWORD))
			.andExpect(authenticated().withRoles("ADMIN"));
	}

	@Test
	void sessionsFollowTheStoreDisabledOrResetUsersAreSignedOutAndRoleChangesApply() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin", FerryAppTest.DEMO_PASSWORD);
		this.mvc.perform(post("/admin/users").session(admin)
			.with(csrf())
			.param("username", "fabio")
			.param("password", "fabio-password-1")
			.param("roles", "VIEWER"));
		MockHttpSession fabio = ConsoleSession.signIn(this.mvc, "fabio", "fabio-password-1");
		this.mvc.perform(get("/").session(fabio)).andExpect(status().isOk());
		this.mvc.perform(get("/admin/users").session(fabio)).andExpect(status().isForbidden());

		this.mvc.perform(post("/admin/users/fabio/roles").session(admin).with(csrf()).param("roles", "ADMIN"));
		this.mvc.perform(get("/admin/users").session(fabio)).andExpect(status().isOk());
		this.mvc.perform(post("/admin/users/fabio/roles").session(admin).with(csrf()).param("roles", "VIEWER"));
		this.mvc.perform(get("/admin/users").session(fabio)).andExpect(status().isForbidden());

		this.mvc.perform(post("/admin/users/fabio/enabled").session(admin).with(csrf()).param("enabled", "false"));
		this.mvc.perform(get("/").session(fabio)).andExpect(redirectedUrl("/login"));

		this.mvc.perform(post("/admin/users/fabio/enabled").session(admin).with(csrf()).param("enabled", "true"));
		MockHttpSession again = ConsoleSession.signIn(this.mvc, "fabio", "fabio-password-1");
		this.mvc.perform(get("/").session(again)).andExpect(status().isOk());
		this.mvc.perform(post("/admin/users/fabio/password").session(admin)
			.with(csrf())
			.param("password", "fabio-password-2")
			.param("confirm", "fabio-password-2"));
		this.mvc.perform(get("/").session(again)).andExpect(redirectedUrl("/login"));
	}

	@Test
	void aSessionThatMadeNoRequestSinceSigningInIsSignedOutByAPasswordReset() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin", FerryAppTest.DEMO_PASSWORD);
		this.mvc.perform(post("/admin/users").session(admin)
			.with(csrf())
			.param("username", "gemma")
			.param("password", "gemma-password-1")
			.param("roles", "VIEWER"));
		// signed in, and not one request since (issue 20, finding 6)
		MockHttpSession gemma = ConsoleSession.signIn(this.mvc, "gemma", "gemma-password-1");
		this.mvc
			.perform(post("/admin/users/gemma/password").session(admin)
				.with(csrf())
				.param("password", "gemma-password-2")
				.param("confirm", "gemma-password-2"))
			.andExpect(flash().attribute("flashCode", "users.passwordReset"));
		this.mvc.perform(get("/").session(gemma)).andExpect(redirectedUrl("/login"));
		assertThat(gemma.isInvalid()).isTrue();
	}

	@Test
	void unknownUserPageIsNotFound() throws Exception {
		this.mvc
			.perform(get("/admin/users/nobody-here")
				.session(ConsoleSession.signIn(this.mvc, "admin", FerryAppTest.DEMO_PASSWORD)))
			.andExpect(status().isNotFound())
			.andExpect(content().string(containsString("No user is named nobody-here.")));
	}

	@Test
	void everyUserChangesTheirOwnPasswordKnowingTheCurrentOne() throws Exception {
		MockHttpSession admin = ConsoleSession.signIn(this.mvc, "admin", FerryAppTest.DEMO_PASSWORD);
		this.mvc.perform(post("/admin/users").session(admin)
			.with(csrf())
			.param("username", "erin")
			.param("password", "erin-password-1")
			.param("roles", "VIEWER"));
		MockHttpSession erin = ConsoleSession.signIn(this.mvc, "erin", "erin-password-1");

		this.mvc.perform(get("/profile").session(erin))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Change your password")));
		this.mvc
			.perform(post("/profile/password").session(erin)
				.with(csrf())
				.param("current", "not-my-password")
				.param("password", "erin-password-2")
				.param("confirm", "erin-password-2"))
			.andExpect(flash().attribute("flashCode", "account.password.currentWrong"));
		this.mvc
			.perform(post("/profile/password").session(erin)
				.with(csrf())
				.param("current", "erin-password-1")
				.param("password", "erin-password-2")
				.param("confirm", "erin-password-3"))
			.andExpect(flash().attribute("flashCode", "password.mismatch"));
		this.mvc
			.perform(post("/profile/password").session(erin)
				.with(csrf())
				.param("current", "erin-password-1")
				.param("password", "erin-password-2")
				.param("confirm", "erin-password-2"))
			.andExpect(flash().attribute("flashCode", "profile.passwordChanged"));
		this.mvc.perform(get("/profile").session(erin)).andExpect(status().isOk());
		this.mvc.perform(formLogin("/login").user("erin").password("erin-password-2")).andExpect(authenticated());
	}

	@Test
	@WithMockUser(username = "operator", roles = "OPERATOR")
	void theServiceItselfRefusesNonAdmins() {
		assertThatExceptionOfType(AuthorizationDeniedException.class).isThrownBy(
				() -> this.accounts.create(new NewAccount("sneaky", "sneaky-password-1", EnumSet.of(Role.ADMIN))));
		assertThatExceptionOfType(AuthorizationDeniedException.class)
			.isThrownBy(() -> this.accounts.list("", null, 10));
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void usersAreListedByKeysetPages() {
		AccountPage first = this.accounts.list("", null, 2);
		assertThat(first.items()).hasSize(2);
		assertThat(first.next()).isEqualTo(first.items().get(1).username());
		AccountPage second = this.accounts.list("", first.next(), 2);
		assertThat(second.items()).hasSize(2);
		assertThat(second.items().get(0).username()).isGreaterThan(first.next());
		assertThat(this.accounts.list("operator", null, 50).items()).extracting(AccountView::username)
			.containsExactly("operator", "operator2");
		assertThat(this.accounts.list("_", null, 50).items()).as("LIKE wildcards are matched literally").isEmpty();
	}

	@Test
	void passwordsAreStoredOnlyAsHashes() {
		String hash = this.jdbc.sql("SELECT password_hash FROM users WHERE username = 'viewer'")
			.query(String.class)
			.single();
		assertThat(hash).startsWith("{bcrypt}$2").doesNotContain(FerryAppTest.DEMO_PASSWORD);
	}

	@Test
	@WithMockUser(username = "admin", roles = "ADMIN")
	void passwordsLongerThanBcryptReadsAreRefused() {
		assertThatExceptionOfType(RefusedException.class)
			.isThrownBy(() -> this.accounts.create(new NewAccount("toolong", "x".repeat(73), EnumSet.of(Role.VIEWER))))
			.withMessageContaining("72 bytes");
	}

}
