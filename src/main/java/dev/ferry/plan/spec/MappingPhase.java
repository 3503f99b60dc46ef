package dev.ferry.plan.spec;

import java.util.List;

/**
 * Builds the map from old records to new records by blocking on one column and scoring
 * the candidates with weighted tie-breakers.
 *
 * @param id the phase id
 * @param oldSide the table whose records are mapped
 * @param newSide the table they are mapped to
 * @param block the columns whose normalized values must be equal for a candidate
 * @param tieBreakers the weighted comparisons that score candidates
 * @param accept when the best candidate is taken without review
 * @param uniqueNew whether two old records mapping to one new record is a conflict
 * @param into the table the map is written into, on the plan's target
 * @param batchSize rows of the map's change set per apply batch
 * @param gates ids of the gates of this phase
 */
public record MappingPhase(String id, Side oldSide, Side newSide, Block block, List<TieBreaker> tieBreakers,
		Accept accept, boolean uniqueNew, Into into, int batchSize, List<String> gates) implements PhaseSpec {

	public MappingPhase {
		tieBreakers = List.copyOf(tieBreakers);
		gates = List.copyOf(gates);
	}

	@Override
	public Kind kind() {
		return Kind.MAPPING;
	}

	/**
	 * One side of the mapping.
	 *
	 * @param table the table
	 * @param key its key column
	 * @param connection the connection holding it (the plan's target unless given)
	 */
	public record Side(String table, String key, String connection) {

	}

	/**
	 * The blocking columns: a new record is a candidate when its normalized value equals
	 * the old record's.
	 */
	public record Block(String oldColumn, String newColumn, List<Normalization> normalize) {

		public Block {
			normalize = List.copyOf(normalize);
		}

	}

	/** One weighted comparison of an old and a new column. */
	public record TieBreaker(String oldColumn, String newColumn, double weight, List<Normalization> normalize,
			Compare compare) {

		public TieBreaker {
			normalize = List.copyOf(normalize);
		}

	}

	/** How a tie-breaker compares: equality (1 or 0) or Jaro-Winkler similarity. */
	public enum Compare {

		EXACT("exact"), SIMILARITY("similarity");

		private final String yamlName;

		Compare(String yamlName) {
			this.yamlName = yamlName;
		}

		public String yamlName() {
			return this.yamlName;
		}

	}

	/**
	 * The rule for {@code auto}: best score at least {@code minScore} and ahead of the
	 * second best by at least {@code minMargin}; both in 0..1.
	 */
	public record Accept(double minScore, double minMargin) {

		public static final Accept DEFAULT = new Accept(0.8, 0.2);

	}

	/**
	 * Where the map is written.
	 *
	 * @param table the table
	 * @param oldColumn the column receiving the old key
	 * @param newColumn the column receiving the new key
	 * @param statusColumn the column receiving the status
	 * @param confidenceColumn the column receiving the score, or {@code null}
	 */
	public record Into(String table, String oldColumn, String newColumn, String statusColumn, String confidenceColumn) {

	}

}
