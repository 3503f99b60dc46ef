package dev.ferry.plan.spec;

import java.net.URI;

/**
 * Passes when the JSON value at {@code pointer} of a GET of {@code url} is within
 * {@code bounds}. The url's host is one of the allowed hosts.
 */
public record HttpGate(String id, Level level, URI url, String pointer, Bounds bounds) implements GateSpec {

	@Override
	public Check check() {
		return Check.HTTP;
	}

}
