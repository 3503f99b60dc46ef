package dev.ferry.security.internal;

import jakarta.servlet.http.HttpSession;

/** What the account pages of this module may tell the session freshness check. */
public final class AccountSessions {

	private AccountSessions() {
	}

	/** After users change their own password, their current session stays signed in. */
	public static void keepSignedIn(HttpSession session) {
		AccountFreshnessFilter.restamp(session);
	}

}
