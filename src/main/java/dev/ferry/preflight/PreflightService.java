package dev.ferry.preflight;

import java.util.List;

/**
 * What preflight runs measured, and measuring a query now as a preflight does. Reading
 * needs VIEWER, measuring OPERATOR (or the system).
 */
public interface PreflightService {

	/** What a preflight run measured, in the order it measured it. */
	List<Measurement> measurements(long runId);

	/**
	 * Measures a query now as a preflight measures a {@code query-unchanged} gate's
	 * baseline: its rows and the checksum of its ordered result, read on a connection
	 * whose transaction is rolled back.
	 * @param connection the connection the query runs on
	 */
	Measurement measureQuery(String connection, String subject, String query);

}
