package dev.ferry.security;

import java.time.Instant;
import java.util.Set;

/** A user account as the console shows it; never carries the password hash. */
public record AccountView(String username, Set<Role> roles, boolean enabled, Instant createdAt,
		Instant passwordChangedAt, long version) {

	public boolean hasRole(Role role) {
		return this.roles.contains(role);
	}

}
