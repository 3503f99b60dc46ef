package dev.ferry.runbook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The checklist of one production run of a plan version: who started it and which items
 * are ticked, by whom and when.
 */
public record Checklist(long id, String plan, int version, String startedBy, Instant startedAt, List<Tick> ticks) {

	public Checklist {
		ticks = List.copyOf(ticks);
	}

	/** The tick of an item, if it is ticked. */
	public Optional<Tick> tick(String item) {
		return this.ticks.stream().filter(tick -> tick.item().equals(item)).findFirst();
	}

	/** A ticked item. */
	public record Tick(String item, String label, String by, Instant at) {
	}

}
