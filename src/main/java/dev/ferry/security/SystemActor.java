package dev.ferry.security;

import java.util.function.Supplier;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Ferry acting on its own behalf at start-up (registering the demo workspace, loading
 * plans from {@code config/plans}): the same services with the same role checks, called
 * as the user {@value #NAME} with the ADMIN role, never reachable by signing in.
 */
public final class SystemActor {

	/**
	 * The name recorded for what Ferry does by itself; not a valid user name to sign in
	 * with.
	 */
	public static final String NAME = "ferry-system";

	private SystemActor() {
	}

	public static <T> T call(Supplier<T> work) {
		return callOnBehalfOf(NAME, Role.ADMIN, work);
	}

	/**
	 * Work a user asked for earlier that Ferry does later on their behalf (an apply
	 * scheduled for a window): called as {@code username} with {@code role}, so the
	 * services check and record that user, as when they asked. The caller checks first
	 * that the account still has the role ({@link AccountService#get}).
	 */
	public static <T> T callOnBehalfOf(String username, Role role, Supplier<T> work) {
		SecurityContext previous = SecurityContextHolder.getContext();
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(username, null,
				AuthorityUtils.createAuthorityList(role.authority())));
		SecurityContextHolder.setContext(context);
		try {
			return work.get();
		}
		finally {
			SecurityContextHolder.setContext(previous);
		}
	}

	public static void run(Runnable work) {
		call(() -> {
			work.run();
			return null;
		});
	}

}
