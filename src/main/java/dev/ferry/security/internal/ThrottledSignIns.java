package dev.ferry.security.internal;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Password sign-ins (the console's form and the API's HTTP Basic) through the
 * {@link SignInThrottle}: a locked user name or address is refused before its password is
 * checked; a wrong user name or password is counted.
 */
class ThrottledSignIns implements AuthenticationProvider {

	private final AuthenticationProvider passwords;

	private final SignInThrottle throttle;

	ThrottledSignIns(AuthenticationProvider passwords, SignInThrottle throttle) {
		this.passwords = passwords;
		this.throttle = throttle;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String username = authentication.getName();
		HttpServletRequest request = (RequestContextHolder
			.getRequestAttributes() instanceof ServletRequestAttributes attributes) ? attributes.getRequest() : null;
		String address = (request == null) ? null : request.getRemoteAddr();
		this.throttle.check(username, address);
		try {
			Authentication signedIn = this.passwords.authenticate(authentication);
			this.throttle.succeeded(username);
			return signedIn;
		}
		catch (BadCredentialsException ex) {
			String via = (request != null && request.getHeader("Authorization") != null) ? "basic" : "form";
			this.throttle.failed(username, address, via);
			throw ex;
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
