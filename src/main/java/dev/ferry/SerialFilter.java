package dev.ferry;

import java.io.ObjectInputFilter;

/**
 * Java deserialization in the Ferry process accepts only the JDK's value classes and
 * Ferry's own. The H2 driver deserializes a {@code JAVA_OBJECT} value in Ferry when a
 * result set's {@code getObject} reads it, and a user without H2's admin right may create
 * such a column and fill it: without a filter, a plan's SQL could hand Ferry a
 * deserialization gadget. What Ferry itself deserializes (the scheduler's task data, a
 * {@code Long}) is in the list; a rejected class fails the read that met it, with
 * {@code REJECTED} in the message.
 */
final class SerialFilter {

	/** The JVM-wide filter: JDK value classes, Ferry and its scheduler, nothing else. */
	static final String PATTERN = "maxdepth=32;java.lang.*;java.util.*;java.time.*;java.math.*;dev.ferry.**;"
			+ "com.github.kagkarlsson.**;!*";

	private SerialFilter() {
	}

	/**
	 * Sets the filter once per JVM; a filter set before (by the command line) is kept.
	 */
	static synchronized void install() {
		if (ObjectInputFilter.Config.getSerialFilter() == null) {
			ObjectInputFilter.Config.setSerialFilter(ObjectInputFilter.Config.createFilter(PATTERN));
		}
	}

}
