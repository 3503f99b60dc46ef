package dev.ferry.security.internal;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.userdetails.UserDetails;

/** A request authenticated by an API token: its user, with the user's roles of now. */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {

	private final UserDetails user;

	private final long tokenId;

	private final String tokenName;

	ApiTokenAuthentication(UserDetails user, long tokenId, String tokenName) {
		super(user.getAuthorities());
		this.user = user;
		this.tokenId = tokenId;
		this.tokenName = tokenName;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public Object getPrincipal() {
		return this.user;
	}

	public long tokenId() {
		return this.tokenId;
	}

	public String tokenName() {
		return this.tokenName;
	}

}
