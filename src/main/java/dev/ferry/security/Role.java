package dev.ferry.security;

/**
 * The roles of Ferry. Every role can read (it implies {@link #VIEWER}); {@link #ADMIN}
 * implies every other role. See {@code docs/security.md}.
 */
public enum Role {

	VIEWER, OWNER, REVIEWER, OPERATOR, ADMIN;

	/** The Spring Security authority of this role. */
	public String authority() {
		return "ROLE_" + name();
	}

}
