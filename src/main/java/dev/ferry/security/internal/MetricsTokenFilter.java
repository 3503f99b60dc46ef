package dev.ferry.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The metrics token ({@code ferry.metrics.token}) as {@code Authorization: Bearer}: the
 * request may read the metrics (authority {@code ROLE_METRICS}, which no user has) and
 * nothing else. Compared in constant time. Any other bearer token goes on to the API
 * token filter.
 */
class MetricsTokenFilter extends OncePerRequestFilter {

	static final String AUTHORITY = "ROLE_METRICS";

	private final byte[] token;

	MetricsTokenFilter(String token) {
		this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		if (this.token != null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
				&& MessageDigest.isEqual(this.token, header.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("metrics-token", null,
					AuthorityUtils.createAuthorityList(AUTHORITY)));
			SecurityContextHolder.setContext(context);
			try {
				chain.doFilter(request, response);
			}
			finally {
				SecurityContextHolder.clearContext();
			}
			return;
		}
		chain.doFilter(request, response);
	}

}
