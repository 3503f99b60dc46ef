package dev.ferry.security.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.problem.RefusedException;
import dev.ferry.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the accounts Ferry starts with. In demo mode: one user per role (and a second
 * operator, so approvals can be shown) sharing one password. Outside demo mode: the first
 * admin from {@code FERRY_ADMIN_PASSWORD}, or nobody, with a log line saying how to
 * create the admin. There is no default password outside demo mode.
 */
@Component
@Order(0)
class AccountBootstrap implements ApplicationRunner {

	static final Map<String, Role> DEMO_USERS = demoUsers();

	private static final Logger log = LoggerFactory.getLogger(AccountBootstrap.class);

	private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	private final Users users;

	private final PasswordEncoder passwordEncoder;

	private final DemoProperties demo;

	private final AdminProperties admin;

	private final TransactionTemplate transactions;

	private final Clock clock;

	AccountBootstrap(Users users, PasswordEncoder passwordEncoder, DemoProperties demo, AdminProperties admin,
			TransactionTemplate transactions, Clock clock) {
		this.users = users;
		this.passwordEncoder = passwordEncoder;
		this.demo = demo;
		this.admin = admin;
		this.transactions = transactions;
		this.clock = clock;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.transactions.executeWithoutResult(status -> {
			if (this.demo.enabled()) {
				createDemoUsers();
			}
			else {
				createFirstAdmin();
			}
		});
	}

	private void createDemoUsers() {
		String chosen = this.demo.password();
		boolean given = chosen != null && !chosen.isEmpty();
		if (given && !acceptable(chosen, "FERRY_DEMO_PASSWORD")) {
			given = false;
		}
		String password = given ? chosen : generatePassword();
		String hash = this.passwordEncoder.encode(password);
		List<String> created = new ArrayList<>();
		for (Map.Entry<String, Role> user : DEMO_USERS.entrySet()) {
			UserAccount account = this.users.findByUsername(user.getKey()).orElse(null);
			if (account == null) {
				account = new UserAccount(user.getKey(), hash, EnumSet.of(user.getValue()), this.clock.instant());
				account.markDemo(true);
				this.users.save(account);
				created.add(user.getKey());
			}
			else if (account.isDemo()) {
				boolean changed = false;
				if (!account.isEnabled()) {
					// disabled by an earlier start with demo mode off
					account.setEnabled(true);
					changed = true;
				}
				if (given && !this.passwordEncoder.matches(password, account.getPasswordHash())) {
					// An explicitly chosen demo password wins over one generated on an
					// earlier start.
					account.changePassword(hash, this.clock.instant());
					changed = true;
				}
				if (changed) {
					this.users.save(account);
				}
			}
		}
		if (created.isEmpty()) {
			log.info("Demo mode: the demo users ({}) exist; their password is {}.",
					String.join(", ", DEMO_USERS.keySet()),
					given ? "the one set by FERRY_DEMO_PASSWORD" : "the one printed when they were created");
		}
		else if (given) {
			log.info("Demo mode: created the users {} with the password set by FERRY_DEMO_PASSWORD.",
					String.join(", ", created));
		}
		else {
			log.warn("""

					================================================================
					  Ferry demo mode: created the users {}
					  (one role each, named like the user).
					  Their shared password, printed only this once:  {}
					  Set FERRY_DEMO_PASSWORD to choose it; demo mode is for trying
					  Ferry out: turn it off with ferry.demo.enabled=false.
					================================================================""", String.join(", ", created),
					password);
		}
	}

	/**
	 * Demo mode off: the demo accounts (and their shared password) stop working, and the
	 * first admin comes from {@code FERRY_ADMIN_PASSWORD} while no enabled admin exists.
	 */
	private void createFirstAdmin() {
		List<UserAccount> demoAccounts = this.users.findByDemoTrueAndEnabledTrue();
		for (UserAccount account : demoAccounts) {
			account.setEnabled(false);
			this.users.save(account);
		}
		if (!demoAccounts.isEmpty()) {
			log.warn("Demo mode is off: disabled the demo users {}; their shared password no longer signs anyone in.",
					demoAccounts.stream().map(UserAccount::getUsername).toList());
		}
		if (this.users.countEnabledAdmins() > 0) {
			return;
		}
		String password = this.admin.password();
		String username = this.admin.username();
		if (password == null || password.isEmpty()) {
			log.warn("No enabled admin exists and demo mode is off, so nobody can administer Ferry. To create the "
					+ "first admin, start Ferry once with FERRY_ADMIN_PASSWORD set to a password of at least {} "
					+ "characters (the user is named '{}'; FERRY_ADMIN_USERNAME changes that).",
					PasswordPolicy.MIN_LENGTH, username);
			return;
		}
		if (!acceptable(password, "FERRY_ADMIN_PASSWORD")) {
			return;
		}
		UserAccount existing = this.users.findByUsername(username).orElse(null);
		if (existing != null && !existing.isDemo()) {
			log.error("FERRY_ADMIN_PASSWORD is not used: the user '{}' exists but is not an enabled admin. Set "
					+ "FERRY_ADMIN_USERNAME to a new name to create the first admin.", username);
			return;
		}
		UserAccount account = existing != null ? existing : new UserAccount(username,
				this.passwordEncoder.encode(password), EnumSet.of(Role.ADMIN), this.clock.instant());
		// a demo account of the same name becomes the real admin, with the new password
		account.markDemo(false);
		account.setEnabled(true);
		account.grant(EnumSet.of(Role.ADMIN));
		account.changePassword(this.passwordEncoder.encode(password), this.clock.instant());
		this.users.save(account);
		log.info("Created the first admin '{}' from FERRY_ADMIN_PASSWORD. Remove the variable now: it is only read "
				+ "while no enabled admin exists.", username);
	}

	private static boolean acceptable(String password, String variable) {
		try {
			PasswordPolicy.check(password);
			return true;
		}
		catch (RefusedException ex) {
			log.error("{} is not used: {}", variable, ex.getMessage());
			return false;
		}
	}

	private static String generatePassword() {
		SecureRandom random = new SecureRandom();
		StringBuilder password = new StringBuilder();
		for (int i = 0; i < 16; i++) {
			if (i > 0 && i % 4 == 0) {
				password.append('-');
			}
			password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return password.toString();
	}

	private static Map<String, Role> demoUsers() {
		Map<String, Role> users = new LinkedHashMap<>();
		users.put("viewer", Role.VIEWER);
		users.put("owner", Role.OWNER);
		users.put("reviewer", Role.REVIEWER);
		users.put("reviewer2", Role.REVIEWER);
		users.put("operator", Role.OPERATOR);
		users.put("operator2", Role.OPERATOR);
		users.put("admin", Role.ADMIN);
		return Collections.unmodifiableMap(users);
	}

}
