package dev.ferry.security.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.ferry.problem.NotFoundException;
import dev.ferry.security.AccountView;
import dev.ferry.security.Role;

import org.springframework.stereotype.Component;

/**
 * The account aggregate's persistence as the service needs it: views in, views out, so no
 * entity leaves the module.
 */
@Component
public class AccountStore {

	private final Users users;

	AccountStore(Users users) {
		this.users = users;
	}

	public static void checkPassword(String password) {
		PasswordPolicy.check(password);
	}

	public List<AccountView> page(String query, String after, int limit) {
		String pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
		return this.users.page(after, pattern, limit).stream().map(UserAccount::view).toList();
	}

	public AccountView view(String username) {
		return load(username).view();
	}

	public boolean exists(String username) {
		return this.users.existsByUsername(username);
	}

	public long count() {
		return this.users.count();
	}

	public long countEnabledAdmins() {
		return this.users.countEnabledAdmins();
	}

	public String passwordHash(String username) {
		return load(username).getPasswordHash();
	}

	public AccountView create(String username, String passwordHash, Set<Role> roles, Instant now) {
		return this.users.save(new UserAccount(username, passwordHash, roles, now)).view();
	}

	public AccountView changeRoles(String username, Set<Role> roles) {
		UserAccount account = load(username);
		account.grant(roles);
		return this.users.save(account).view();
	}

	public AccountView changePassword(String username, String passwordHash, Instant now) {
		UserAccount account = load(username);
		account.changePassword(passwordHash, now);
		return this.users.save(account).view();
	}

	public AccountView setEnabled(String username, boolean enabled) {
		UserAccount account = load(username);
		account.setEnabled(enabled);
		return this.users.save(account).view();
	}

	private UserAccount load(String username) {
		return this.users.findByUsername(username)
			.orElseThrow(
					() -> new NotFoundException("account.notFound", "No user is named " + username + ".", username));
	}

}
