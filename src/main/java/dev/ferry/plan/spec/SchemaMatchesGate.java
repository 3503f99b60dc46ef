package dev.ferry.plan.spec;

import java.util.List;

/**
 * Passes when {@code tables} have the same columns and primary keys on the connection
 * {@code on} as on the connection {@code reference}.
 */
public record SchemaMatchesGate(String id, Level level, String on, String reference,
		List<String> tables) implements GateSpec {

	public SchemaMatchesGate {
		tables = List.copyOf(tables);
	}

	@Override
	public Check check() {
		return Check.SCHEMA_MATCHES;
	}

}
