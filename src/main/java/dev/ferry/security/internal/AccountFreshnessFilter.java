package dev.ferry.security.internal;

import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps console sessions true to the store: a session whose account was disabled, deleted
 * or had its password reset by an admin is signed out on its next request; changed roles
 * take effect on the next request. One indexed lookup per request; the API needs none, it
 * authenticates every request.
 */
class AccountFreshnessFilter extends OncePerRequestFilter {

	static final String STAMP = AccountFreshnessFilter.class.getName() + ".STAMP";

	private final JdbcClient jdbc;

	private final UserDetailsService userDetails;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();

	AccountFreshnessFilter(JdbcClient jdbc, UserDetailsService userDetails) {
		this.jdbc = jdbc;
		this.userDetails = userDetails;
	}

	/**
	 * Forgets the account state a session was stamped with, so its next request stamps it
	 * afresh from the store (after the user changed their own password in this session).
	 */
	static void restamp(HttpSession session) {
		session.removeAttribute(STAMP);
	}

	/** Stamps a session with its account's state as the store has it now. */
	static void stamp(JdbcClient jdbc, String username, HttpSession session) {
		current(jdbc, username)
			.ifPresent(now -> session.setAttribute(STAMP, new Stamp(now.version(), now.passwordChangedAt())));
	}

	private static Optional<Current> current(JdbcClient jdbc, String username) {
		return jdbc.sql("SELECT enabled, version, password_changed_at FROM users WHERE username = ?")
			.param(username)
			.query((rs, row) -> new Current(rs.getBoolean(1), rs.getLong(2),
					rs.getObject(3, java.time.OffsetDateTime.class).toInstant()))
			.optional();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return path.startsWith("/css/") || path.startsWith("/js/") || path.startsWith("/img/")
				|| path.startsWith("/webjars/") || path.equals("/favicon.ico");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = this.contexts.getContext().getAuthentication();
		HttpSession session = request.getSession(false);
		if (session != null && authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken)) {
			check(authentication, session, request, response);
		}
		chain.doFilter(request, response);
	}

	private void check(Authentication authentication, HttpSession session, HttpServletRequest request,
			HttpServletResponse response) {
		Optional<Current> current = current(this.jdbc, authentication.getName());
		Stamp stamp = (Stamp) session.getAttribute(STAMP);
		if (current.isEmpty() || !current.get().enabled()
				|| (stamp != null && !stamp.passwordChangedAt().equals(current.get().passwordChangedAt()))) {
			signOut(session);
			return;
		}
		Current now = current.get();
		if (stamp != null && stamp.version() != now.version()) {
			var user = this.userDetails.loadUserByUsername(authentication.getName());
			var refreshed = UsernamePasswordAuthenticationToken.authenticated(user, null, AuthorityUtils
				.createAuthorityList(user.getAuthorities().stream().map(a -> a.getAuthority()).toArray(String[]::new)));
			SecurityContext context = this.contexts.createEmptyContext();
			context.setAuthentication(refreshed);
			this.contexts.setContext(context);
			this.repository.saveContext(context, request, response);
		}
		session.setAttribute(STAMP, new Stamp(now.version(), now.passwordChangedAt()));
	}

	private void signOut(HttpSession session) {
		this.contexts.clearContext();
		session.invalidate();
	}

	record Current(boolean enabled, long version, Instant passwordChangedAt) {
	}

	record Stamp(long version, Instant passwordChangedAt) implements Serializable {
	}

}
