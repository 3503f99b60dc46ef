package dev.ferry.security.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <token>} on the API: the token is looked up by its sha256
 * on every request (so a revoked one stops at once), and the request then acts as the
 * token's user with the roles the user has now. A token that is unknown, revoked,
 * expired, or whose user is disabled gets 401 without going further. Requests without a
 * bearer token go on to HTTP Basic.
 */
class ApiTokenFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private final ApiTokenStore tokens;

	private final UserDetailsService users;

	private final Clock clock;

	private final Refusal refusal;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	/** Answers a request whose token does not authenticate. */
	interface Refusal {

		void refuse(HttpServletResponse response, String error) throws IOException;

	}

	ApiTokenFilter(ApiTokenStore tokens, UserDetailsService users, Clock clock, Refusal refusal) {
		this.tokens = tokens;
		this.users = users;
		this.clock = clock;
		this.refusal = refusal;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		var already = this.contexts.getContext().getAuthentication();
		if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
				|| (already != null && already.isAuthenticated())) {
			chain.doFilter(request, response);
			return;
		}
		String secret = header.substring(BEARER.length()).strip();
		Instant now = this.clock.instant();
		Optional<ApiTokenStore.Presented> presented = secret.isEmpty() ? Optional.empty()
				: this.tokens.presented(secret);
		if (presented.isEmpty()) {
			this.refusal.refuse(response, "The API token is not known.");
			return;
		}
		ApiTokenStore.Presented token = presented.get();
		if (token.revokedAt() != null) {
			this.refusal.refuse(response, "The API token " + token.name() + " was revoked.");
			return;
		}
		if (token.expiresAt() != null && !token.expiresAt().isAfter(now)) {
			this.refusal.refuse(response, "The API token " + token.name() + " has expired.");
			return;
		}
		UserDetails user;
		try {
			user = this.users.loadUserByUsername(token.username());
		}
		catch (UsernameNotFoundException ex) {
			user = null;
		}
		if (user == null || !token.userEnabled() || !user.isEnabled()) {
			this.refusal.refuse(response, "The API token's user is disabled.");
			return;
		}
		this.tokens.used(token.id(), now);
		SecurityContext context = this.contexts.createEmptyContext();
		// the principal carries no password hash
		UserDetails principal = User.withUserDetails(user).password("").build();
		ApiTokenAuthentication authentication = new ApiTokenAuthentication(principal, token.id(), token.name());
		context.setAuthentication(authentication);
		this.contexts.setContext(context);
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.contexts.clearContext();
		}
	}

}
