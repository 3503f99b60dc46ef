package dev.ferry.gate;

import org.springframework.security.access.AccessDeniedException;

/** A 403: the approver requested the dry run, or is Ferry itself. */
public class SelfApprovalException extends AccessDeniedException {

	public SelfApprovalException(String message) {
		super(message);
	}

}
