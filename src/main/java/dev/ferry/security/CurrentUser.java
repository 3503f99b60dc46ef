package dev.ferry.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import dev.ferry.security.internal.ApiTokenAuthentication;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The signed-in user of the current request: the name and the roles granted directly (not
 * the ones implied by the hierarchy), for display and for "who did it" records.
 */
public record CurrentUser(String username, Set<Role> roles) {

	public static Optional<CurrentUser> get() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| "anonymousUser".equals(authentication.getPrincipal())) {
			return Optional.empty();
		}
		return Optional.of(new CurrentUser(authentication.getName(), rolesOf(authentication.getAuthorities())));
	}

	/**
	 * The name of the API token the current request was authenticated with, when it was
	 * (for the audit log: who did it and how).
	 */
	public static Optional<String> token() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication instanceof ApiTokenAuthentication token) ? Optional.of(token.tokenName())
				: Optional.empty();
	}

	static Set<Role> rolesOf(Collection<? extends GrantedAuthority> authorities) {
		Set<Role> roles = EnumSet.noneOf(Role.class);
		for (GrantedAuthority authority : authorities) {
			for (Role role : Role.values()) {
				if (role.authority().equals(authority.getAuthority())) {
					roles.add(role);
				}
			}
		}
		return roles;
	}

	/**
	 * Whether the user holds the role, directly or through the hierarchy of {@link Role}.
	 */
	public boolean has(Role role) {
		return this.roles.contains(role) || this.roles.contains(Role.ADMIN)
				|| (role == Role.VIEWER && !this.roles.isEmpty());
	}

}
