package dev.ferry.audit;

import java.util.List;

/** Reads and verifies the audit log (the log is written by the module's listeners). */
public interface AuditService {

	/**
	 * Entries newest first, a keyset page (VIEWER).
	 * @param actor only this actor's, or null
	 * @param action only actions starting with this, or null
	 * @param beforeSeq the last seq of the previous page, or null
	 */
	List<AuditEntry> entries(String actor, String action, Long beforeSeq, int limit);

	/** Walks the whole chain, streamed (ADMIN). */
	ChainCheck verify();

}
