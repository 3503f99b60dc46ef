package dev.ferry.lifecycle;

/** How a run of a phase ended, as the lifecycle hears it. */
public enum Outcome {

	SUCCEEDED, FAILED, CANCELLED

}
