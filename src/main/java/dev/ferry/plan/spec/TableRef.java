package dev.ferry.plan.spec;

/**
 * A table named by a plan: {@code source.T}, {@code target.T} or a bare {@code T}.
 *
 * @param side how the table was written
 * @param table the table name, a checked identifier
 * @param connection the connection the reference resolves to: the plan's source, its
 * target, or for a bare name the default of the phase or gate naming it
 */
public record TableRef(Side side, String table, String connection) {

	/** The prefix a table reference was written with. */
	public enum Side {

		SOURCE, TARGET, DEFAULT

	}

	/** The reference as written in the plan. */
	@Override
	public String toString() {
		return switch (this.side) {
			case SOURCE -> "source." + this.table;
			case TARGET -> "target." + this.table;
			case DEFAULT -> this.table;
		};
	}

}
