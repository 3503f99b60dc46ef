package dev.ferry.security.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a state-changing API request that a browser sends on behalf of another site: a
 * page elsewhere could post a form to {@code /api/…} and the browser would add the HTTP
 * Basic credentials it keeps for Ferry. Browsers say where a request comes from
 * ({@code Sec-Fetch-Site}, and {@code Origin} on every POST); scripts, pipelines and curl
 * send neither, so they are not affected. The API has no cookies, and a token
 * ({@code Authorization: Bearer}) is never added by a browser.
 */
class CrossSiteApiFilter extends OncePerRequestFilter {

	private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!SAFE.contains(request.getMethod()) && crossSite(request)) {
			SecurityConfiguration.json(response, HttpStatus.FORBIDDEN,
					"Cross-site requests to the API are refused: a page of another site cannot change anything in "
							+ "Ferry through your browser. Call the API from a script with a token.");
			return;
		}
		chain.doFilter(request, response);
	}

	static boolean crossSite(HttpServletRequest request) {
		String site = request.getHeader("Sec-Fetch-Site");
		if (site != null) {
			String value = site.trim().toLowerCase(Locale.ROOT);
			if (value.equals("cross-site") || value.equals("same-site")) {
				return true;
			}
		}
		String origin = request.getHeader("Origin");
		if (origin == null) {
			return false;
		}
		if (origin.trim().equals("null")) {
			// a sandboxed frame or a file: never Ferry's own page
			return true;
		}
		try {
			URI from = URI.create(origin.trim());
			if (from.getHost() == null) {
				return true;
			}
			int port = (from.getPort() >= 0) ? from.getPort() : defaultPort(from.getScheme());
			String host = request.getServerName();
			int own = request.getServerPort();
			String header = request.getHeader("Host");
			if (header != null && !header.isBlank()) {
				URI self = URI.create(request.getScheme() + "://" + header.trim());
				host = self.getHost();
				own = (self.getPort() >= 0) ? self.getPort() : defaultPort(request.getScheme());
			}
			return host == null || !from.getHost().equalsIgnoreCase(host) || port != own;
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
	}

	private static int defaultPort(String scheme) {
		return "https".equalsIgnoreCase(scheme) ? 443 : 80;
	}

}
