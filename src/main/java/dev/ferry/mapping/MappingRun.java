package dev.ferry.mapping;

import java.util.List;

/**
 * A mapping dry run's header: what it compared.
 *
 * @param runId the dry run
 * @param oldTable the old side's table
 * @param newTable the new side's table
 * @param oldFields the old side's compared columns: the block column, then each
 * tie-breaker's
 * @param newFields the new side's, in the same order
 * @param weights each tie-breaker's weight
 * @param sealed whether the dry run finished
 */
public record MappingRun(long runId, String oldTable, String newTable, List<String> oldFields, List<String> newFields,
		List<Double> weights, boolean sealed) {

	public MappingRun {
		oldFields = List.copyOf(oldFields);
		newFields = List.copyOf(newFields);
		weights = List.copyOf(weights);
	}

}
