package dev.ferry.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.ferry.security.Role;
import dev.ferry.security.SignInThrottled;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Two filter chains: {@code /api/**} is stateless (an API token as
 * {@code Authorization: Bearer}, or HTTP Basic; no cookies, no CSRF since nothing there
 * reads a cookie, 401/403 as JSON); everything else is the console (form login of our
 * own, CSRF on, htmx-aware when the session has expired).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
public class SecurityConfiguration {

	static final String API = "/api/**";

	/** springdoc's path of the API's description ({@code springdoc.api-docs.path}). */
	static final String API_DOCS = "/v3/api-docs";

	/**
	 * {@code /actuator/prometheus}: for admins (a console session, an admin's API token,
	 * HTTP Basic) and for the metrics token; 401/403 as JSON, never the login page, since
	 * a scraper is asking.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain metricsSecurity(HttpSecurity http, ObjectProvider<ApiTokenStore> tokens,
			UserDetailsService userDetails, ObjectProvider<Clock> clock, ObjectProvider<MetricsProperties> metrics)
			throws Exception {
		http.securityMatcher("/actuator/prometheus")
			.authorizeHttpRequests(requests -> requests.anyRequest()
				.hasAnyAuthority(Role.ADMIN.authority(), MetricsTokenFilter.AUTHORITY))
			// no Basic challenge: a browser that was asked would keep the password and
			// send
			// it to the API on behalf of any page
			.httpBasic(basic -> basic.realmName("Ferry")
				.authenticationEntryPoint(bearerChallenge(
						"Authentication required: the metrics token or an admin's API token (Authorization: Bearer).")))
			.requestCache(cache -> cache.disable())
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint(bearerChallenge(
						"Authentication required: the metrics token or an admin's API token (Authorization: Bearer)."))
				.accessDeniedHandler((request, response, e) -> json(response, HttpStatus.FORBIDDEN,
						"Only admins and the metrics token may read the metrics.")))
			.addFilterBefore(new MetricsTokenFilter(metrics.getIfAvailable(() -> new MetricsProperties(null)).token()),
					BasicAuthenticationFilter.class);
		bearerTokens(http, tokens, userDetails, clock);
		return http.build();
	}

	/**
	 * The API's description, {@code /v3/api-docs}: read by a pipeline that generates a
	 * client (an API token or HTTP Basic, as {@code /api/**}) and by Swagger UI in the
	 * console (the signed-in session, which is read but never created here). Without any
	 * of them a 401 as JSON, not the login page.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain apiDocsSecurity(HttpSecurity http, ObjectProvider<ApiTokenStore> tokens,
			UserDetailsService userDetails, ObjectProvider<Clock> clock, ObjectProvider<JdbcClient> jdbc)
			throws Exception {
		bearerTokens(http, tokens, userDetails, clock);
		http.securityMatcher(API_DOCS, API_DOCS + "/**", API_DOCS + ".yaml")
			.authorizeHttpRequests(requests -> requests.anyRequest().hasRole("VIEWER"))
			.httpBasic(basic -> basic.realmName("Ferry").authenticationEntryPoint(SecurityConfiguration::basicFailed))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable())
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint(bearerChallenge(
						"Authentication required: send an API token (Authorization: Bearer), sign in with HTTP Basic, "
								+ "or sign in to the console."))
				.accessDeniedHandler((request, response, e) -> json(response, HttpStatus.FORBIDDEN,
						"Your roles do not allow this.")));
		// a session signed out by a password change is signed out here too
		jdbc.ifAvailable(store -> http.addFilterBefore(new AccountFreshnessFilter(store, userDetails),
				AuthorizationFilter.class));
		return http.build();
	}

	/**
	 * 401 as JSON with the given words and a Bearer challenge: never Basic, since a
	 * browser asked for Basic would keep the password and send it with a form another
	 * site posts.
	 */
	private static AuthenticationEntryPoint bearerChallenge(String error) {
		return (request, response, e) -> {
			response.setHeader("WWW-Authenticate", "Bearer realm=\"Ferry\"");
			json(response, HttpStatus.UNAUTHORIZED, error);
		};
	}

	/**
	 * A failed HTTP Basic sign-in: 429 with {@code Retry-After} while the name or address
	 * is throttled, else 401 with a Bearer challenge.
	 */
	private static void basicFailed(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
			throws IOException, ServletException {
		if (e instanceof SignInThrottled throttled) {
			response.setHeader("Retry-After", String.valueOf(throttled.retryAfterSeconds()));
			json(response, HttpStatus.TOO_MANY_REQUESTS, throttled.getMessage());
		}
		else {
			bearerChallenge("Authentication required: sign in with HTTP Basic.").commence(request, response, e);
		}
	}

	@Bean
	@Order(2)
	SecurityFilterChain apiSecurity(HttpSecurity http, ObjectProvider<ApiTokenStore> tokens,
			UserDetailsService userDetails, ObjectProvider<Clock> clock) throws Exception {
		bearerTokens(http, tokens, userDetails, clock);
		http.securityMatcher(API)
			.authorizeHttpRequests(requests -> requests.requestMatchers("/api/v1/admin/**")
				.hasRole("ADMIN")
				.anyRequest()
				.hasRole("VIEWER"))
			.httpBasic(basic -> basic.realmName("Ferry").authenticationEntryPoint(SecurityConfiguration::basicFailed))
			.addFilterBefore(new CrossSiteApiFilter(), BasicAuthenticationFilter.class)
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable())
			.exceptionHandling(errors -> errors.authenticationEntryPoint(bearerChallenge(
					"Authentication required: send an API token (Authorization: Bearer) or sign in with HTTP Basic."))
				.accessDeniedHandler((request, response, e) -> json(response, HttpStatus.FORBIDDEN,
						"Your roles do not allow this.")));
		return http.build();
	}

	/**
	 * Lands where the user was going, after stamping the new session with the account's
	 * state as it is now: a password change or reset after this moment signs the session
	 * out, even if it made no request in between.
	 */
	private static AuthenticationSuccessHandler stampedAtSignIn(HttpSessionRequestCache requestCache,
			JdbcClient store) {
		SavedRequestAwareAuthenticationSuccessHandler landing = new SavedRequestAwareAuthenticationSuccessHandler();
		landing.setRequestCache(requestCache);
		landing.setRedirectStrategy(RELATIVE);
		return (request, response, authentication) -> {
			if (store != null) {
				AccountFreshnessFilter.stamp(store, authentication.getName(), request.getSession());
			}
			landing.onAuthenticationSuccess(request, response, authentication);
		};
	}

	/**
	 * The console's pages load scripts, styles and images from Ferry alone, and nothing
	 * inline: no inline script or style attribute (the bars are sized by
	 * {@code ferry.js}), no {@code eval}, no frames, forms posting only to Ferry. The API
	 * reference (Swagger UI, a bundle of its own) is left out.
	 */
	static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			+ "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
			+ "frame-ancestors 'none'";

	private static final HeaderWriter CONTENT_SECURITY_POLICY = new DelegatingRequestMatcherHeaderWriter(
			new NegatedRequestMatcher(request -> request.getRequestURI()
				.substring(request.getContextPath().length())
				.startsWith("/swagger-ui")),
			new ContentSecurityPolicyHeaderWriter(POLICY));

	/** The login page, redirected to by its path (not from the {@code Host} header). */
	private static final LoginUrlAuthenticationEntryPoint LOGIN_PAGE = new LoginUrlAuthenticationEntryPoint("/login");

	static {
		LOGIN_PAGE.setFavorRelativeUris(true);
	}

	/**
	 * Redirects as paths, never as absolute URLs made from the request's {@code Host}
	 * header, which the client chooses.
	 */
	private static final RedirectStrategy RELATIVE = (request, response, url) -> {
		String target = url;
		java.net.URI uri = java.net.URI.create(url);
		if (uri.isAbsolute()) {
			// the saved request's URL was made from the Host header: keep its path only
			target = ((uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath())
					+ ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		}
		else if (!target.startsWith("/")) {
			target = request.getContextPath() + "/" + target;
		}
		response.sendRedirect(response.encodeRedirectURL(target));
	};

	@Bean
	@Order(3)
	SecurityFilterChain consoleSecurity(HttpSecurity http, ObjectProvider<JdbcClient> jdbc,
			UserDetailsService userDetails) throws Exception {
		RequestMatcher htmx = new RequestHeaderRequestMatcher("HX-Request", "true");
		HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
		// Land on the page itself after signing in, not on "/page?continue".
		requestCache.setMatchingRequestParameterName(null);
		// A fragment URL is no place to land after signing in: only remember full-page
		// requests.
		requestCache.setRequestMatcher(new AndRequestMatcher(new NegatedRequestMatcher(htmx),
				new NegatedRequestMatcher(new RequestHeaderRequestMatcher("Accept", "application/json"))));
		http.authorizeHttpRequests(
				requests -> requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD)
					.permitAll()
					.requestMatchers("/login", "/error", "/css/**", "/js/**", "/img/**", "/webjars/**", "/favicon.ico",
							"/actuator/health", "/actuator/health/**")
					.permitAll()
					.requestMatchers("/admin/**", "/actuator/**")
					.hasRole("ADMIN")
					.anyRequest()
					.authenticated())
			.formLogin(login -> login.loginPage("/login")
				.failureUrl("/login?error")
				.successHandler(stampedAtSignIn(requestCache, jdbc.getIfAvailable()))
				.permitAll())
			.logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
			.requestCache(cache -> cache.requestCache(requestCache))
			.headers(headers -> headers.addHeaderWriter(CONTENT_SECURITY_POLICY))
			// the one entry point (form login's own would make the login page's URL from
			// the Host header): an expired session under an htmx request reloads the
			// whole
			// page, which then lands on the login page, instead of swapping a login form
			// into a fragment
			.exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, e) -> {
				if (htmx.matches(request)) {
					response.setHeader("HX-Refresh", "true");
					response.setStatus(HttpStatus.UNAUTHORIZED.value());
				}
				else {
					LOGIN_PAGE.commence(request, response, e);
				}
			}));
		// Without a store (a web slice test) there are no accounts to keep sessions true
		// to.
		jdbc.ifAvailable(store -> http.addFilterBefore(new AccountFreshnessFilter(store, userDetails),
				AuthorizationFilter.class));
		return http.build();
	}

	private static void bearerTokens(HttpSecurity http, ObjectProvider<ApiTokenStore> tokens,
			UserDetailsService userDetails, ObjectProvider<Clock> clock) {
		// Without a store (a web slice test) there are no tokens to look up.
		tokens.ifAvailable(store -> http.addFilterBefore(
				new ApiTokenFilter(store, userDetails, clock.getIfAvailable(Clock::systemUTC), (response, error) -> {
					response.setHeader("WWW-Authenticate", "Bearer realm=\"Ferry\", error=\"invalid_token\"");
					json(response, HttpStatus.UNAUTHORIZED, error);
				}), BasicAuthenticationFilter.class));
	}

	@Bean
	static RoleHierarchy roleHierarchy() {
		return RoleHierarchyImpl.withDefaultRolePrefix()
			.role("ADMIN")
			.implies("OPERATOR", "REVIEWER", "OWNER", "VIEWER")
			.role("OPERATOR")
			.implies("VIEWER")
			.role("REVIEWER")
			.implies("VIEWER")
			.role("OWNER")
			.implies("VIEWER")
			.build();
	}

	/**
	 * Password sign-ins, counted and refused after repeated failures (without a store, a
	 * web slice test, as they are).
	 */
	@Bean
	AuthenticationProvider passwordSignIns(UserDetailsService userDetails, PasswordEncoder encoder,
			ObjectProvider<SignInThrottle> throttle) {
		DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(userDetails);
		passwords.setPasswordEncoder(encoder);
		SignInThrottle counted = throttle.getIfAvailable();
		return (counted == null) ? passwords : new ThrottledSignIns(passwords, counted);
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		// BCrypt today, and hashes carry their algorithm id so a stronger one can follow.
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	static void json(HttpServletResponse response, HttpStatus status, String error) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write("{\"error\":\"" + error.replace("\"", "\\\"") + "\",\"reasons\":[]}");
	}

}
