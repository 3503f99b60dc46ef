package dev.ferry.mapping;

import java.util.List;

/**
 * The header of a mapping dry run's results.
 *
 * @param runId the dry run
 * @param plan the plan
 * @param planVersion its version
 * @param phase the mapping phase
 * @param oldTable the old side's table
 * @param newTable the new side's table
 * @param oldFields the old side's compared columns: the block column, then each
 * tie-breaker's
 * @param newFields the new side's, in the same order
 * @param weights each tie-breaker's weight
 * @param uniqueNew whether the phase maps a new record to one old record at most
 */
public record NewMappingRun(long runId, String plan, int planVersion, String phase, String oldTable, String newTable,
		List<String> oldFields, List<String> newFields, List<Double> weights, boolean uniqueNew) {

	public NewMappingRun {
		oldFields = List.copyOf(oldFields);
		newFields = List.copyOf(newFields);
		weights = List.copyOf(weights);
	}

}
