package dev.ferry.run;

import java.time.Instant;

/** One line of a run's log. */
public record RunLogLine(Instant at, String level, String message) {

}
