package dev.ferry.security.internal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ferry.security.AccountView;
import dev.ferry.security.Role;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/** A user of Ferry and the roles granted to it; the password is only ever a hash. */
@Table("users")
public class UserAccount {

	@Id
	private Long id;

	private String username;

	private String passwordHash;

	private boolean enabled;

	private boolean demo;

	@MappedCollection(idColumn = "user_id")
	private Set<GrantedRole> roles = new HashSet<>();

	private Instant createdAt;

	private Instant passwordChangedAt;

	@Version
	private Long version;

	protected UserAccount() {
	}

	UserAccount(String username, String passwordHash, Set<Role> roles, Instant now) {
		this.username = username;
		this.passwordHash = passwordHash;
		this.enabled = true;
		this.createdAt = now;
		this.passwordChangedAt = now;
		grant(roles);
	}

	String getUsername() {
		return this.username;
	}

	String getPasswordHash() {
		return this.passwordHash;
	}

	boolean isEnabled() {
		return this.enabled;
	}

	boolean isDemo() {
		return this.demo;
	}

	void markDemo(boolean demo) {
		this.demo = demo;
	}

	Set<Role> roles() {
		return this.roles.stream()
			.map(GrantedRole::role)
			.map(Role::valueOf)
			.collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
	}

	void grant(Set<Role> newRoles) {
		this.roles = newRoles.stream().map(role -> new GrantedRole(role.name())).collect(Collectors.toSet());
	}

	void changePassword(String newHash, Instant now) {
		this.passwordHash = newHash;
		this.passwordChangedAt = now;
	}

	void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	AccountView view() {
		return new AccountView(this.username, roles(), this.enabled, this.createdAt, this.passwordChangedAt,
				this.version == null ? 0 : this.version);
	}

	/** One role granted to a user. */
	@Table("user_roles")
	record GrantedRole(String role) {
	}

}
