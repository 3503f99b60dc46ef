package dev.ferry.security;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.ferry.problem.RefusedException;
import dev.ferry.security.internal.AccountStore;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates and changes user accounts. Administration needs {@link Role#ADMIN}, checked
 * here so the console and the API obey the same rule; an admin can never lock the store
 * out (the last enabled admin keeps its role and stays enabled).
 */
@Service
public class AccountService {

	private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

	private static final int MAX_PAGE = 500;

	private final AccountStore store;

	private final PasswordEncoder passwordEncoder;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	AccountService(AccountStore store, PasswordEncoder passwordEncoder, Clock clock, ApplicationEventPublisher events) {
		this.events = events;
		this.store = store;
		this.passwordEncoder = passwordEncoder;
		this.clock = clock;
	}

	@PreAuthorize("hasRole('ADMIN')")
	@Transactional(readOnly = true)
	public AccountPage list(String query, String after, int limit) {
		int size = Math.max(1, Math.min(limit, MAX_PAGE));
		List<AccountView> rows = this.store.page(query == null ? "" : query.trim().toLowerCase(Locale.ROOT),
				after == null ? "" : after, size + 1);
		if (rows.size() > size) {
			return new AccountPage(rows.subList(0, size), rows.get(size - 1).username());
		}
		return new AccountPage(rows, null);
	}

	@PreAuthorize("hasRole('ADMIN')")
	@Transactional(readOnly = true)
	public AccountView get(String username) {
		return this.store.view(username);
	}

	/**
	 * Whether {@code username} is an enabled account that holds {@code role} now (an
	 * admin holds every role); false for an account that no longer exists. For counting
	 * what a person's earlier act (an approval) is worth today.
	 */
	@PreAuthorize("hasRole('VIEWER')")
	@Transactional(readOnly = true)
	public boolean holdsNow(String username, Role role) {
		if (!this.store.exists(username)) {
			return false;
		}
		AccountView account = this.store.view(username);
		return account.enabled() && (account.hasRole(role) || account.hasRole(Role.ADMIN));
	}

	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public AccountView create(NewAccount account) {
		String username = account.username() == null ? "" : account.username().trim();
		if (!USERNAME.matcher(username).matches()) {
			throw new RefusedException("account.username.invalid",
					"A user name is 2 to 64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
		}
		if (SystemActor.NAME.equals(username)) {
			throw new RefusedException("account.username.reserved", "The user name " + username + " is reserved.",
					username);
		}
		if (this.store.exists(username)) {
			throw new RefusedException("account.username.taken", "The user name " + username + " is taken.", username);
		}
		requireRoles(account.roles());
		AccountView created = this.store.create(username, encode(account.password()), account.roles(), now());
		changed(username, "created with the roles " + account.roles());
		return created;
	}

	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public AccountView changeRoles(String username, Set<Role> roles) {
		requireRoles(roles);
		AccountView current = this.store.view(username);
		if (current.enabled() && current.hasRole(Role.ADMIN) && !roles.contains(Role.ADMIN)) {
			guardAdminRemains(username, "account.admin.keepRole",
					"The last enabled admin keeps the ADMIN role, or nobody could administer Ferry.");
		}
		AccountView changed = this.store.changeRoles(username, roles);
		changed(username, "roles set to " + roles);
		return changed;
	}

	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public AccountView resetPassword(String username, String newPassword) {
		AccountView changed = this.store.changePassword(username, encode(newPassword), now());
		changed(username, "password reset");
		return changed;
	}

	@PreAuthorize("hasRole('ADMIN')")
	@Transactional
	public AccountView setEnabled(String username, boolean enabled) {
		AccountView current = this.store.view(username);
		if (!enabled && CurrentUser.get().map(CurrentUser::username).filter(username::equals).isPresent()) {
			throw new RefusedException("account.disable.self", "You cannot disable your own account.");
		}
		if (!enabled && current.enabled() && current.hasRole(Role.ADMIN)) {
			guardAdminRemains(username, "account.admin.keepEnabled",
					"The last enabled admin cannot be disabled, or nobody could administer Ferry.");
		}
		AccountView changed = this.store.setEnabled(username, enabled);
		changed(username, enabled ? "enabled" : "disabled");
		return changed;
	}

	/** Changes the signed-in user's own password after checking the current one. */
	@PreAuthorize("isAuthenticated()")
	@Transactional
	public AccountView changeOwnPassword(String currentPassword, String newPassword) {
		String username = CurrentUser.get()
			.map(CurrentUser::username)
			.orElseThrow(() -> new RefusedException("account.notSignedIn", "Nobody is signed in."));
		if (currentPassword == null
				|| !this.passwordEncoder.matches(currentPassword, this.store.passwordHash(username))) {
			throw new RefusedException("account.password.currentWrong", "The current password is wrong.");
		}
		AccountView changed = this.store.changePassword(username, encode(newPassword), now());
		changed(username, "own password changed");
		return changed;
	}

	private void changed(String username, String change) {
		this.events.publishEvent(
				new AccountChanged(username, change, CurrentUser.get().map(CurrentUser::username).orElse("unknown")));
	}

	@PreAuthorize("isAuthenticated()")
	@Transactional(readOnly = true)
	public AccountView me() {
		return CurrentUser.get()
			.map(user -> this.store.view(user.username()))
			.orElseThrow(() -> new RefusedException("account.notSignedIn", "Nobody is signed in."));
	}

	private void guardAdminRemains(String username, String code, String message) {
		if (this.store.countEnabledAdmins() <= 1) {
			throw new RefusedException(code, message, username);
		}
	}

	private static void requireRoles(Set<Role> roles) {
		if (roles == null || roles.isEmpty()) {
			throw new RefusedException("account.roles.empty", "A user needs at least one role.");
		}
	}

	private String encode(String password) {
		AccountStore.checkPassword(password);
		return this.passwordEncoder.encode(password);
	}

	private Instant now() {
		return this.clock.instant();
	}

}
