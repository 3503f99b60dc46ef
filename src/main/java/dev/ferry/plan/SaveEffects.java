package dev.ferry.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What saving a new version of a plan voids: the phases whose definition (or gates)
 * change, with every phase after the first of them, and what they lose (dry runs,
 * approvals, gate results), counted by the modules that keep them. The other phases keep
 * their state.
 *
 * @param changed the phases the save changes, in plan order
 * @param kept the phases that keep their state
 * @param voided what is voided in the changed phases: a count per kind, in words
 */
public record SaveEffects(List<String> changed, List<String> kept, Map<String, Integer> voided) {

	public static final SaveEffects NONE = new SaveEffects(List.of(), List.of(), Map.of());

	public SaveEffects {
		changed = List.copyOf(changed);
		kept = List.copyOf(kept);
		voided = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(voided));
	}

	/** Whether the save changes any phase. */
	public boolean changesPhases() {
		return !this.changed.isEmpty();
	}

	/**
	 * In words, such as: Saving voids 1 dry run, 2 approvals and 5 gate results of phases
	 * import, map, verify; preflight, schema keep their state.
	 */
	public String sentence() {
		if (this.changed.isEmpty()) {
			return "Saving changes no phase: every phase keeps its state.";
		}
		List<String> parts = new ArrayList<>();
		this.voided.forEach((what, count) -> {
			if (count > 0) {
				parts.add(String.format(Locale.ROOT, "%,d %s", count, what));
			}
		});
		String phases = (this.changed.size() == 1 ? "phase " : "phases ") + String.join(", ", this.changed);
		String head = parts.isEmpty() ? "Saving changes " + phases + ", which have nothing measured or approved yet"
				: "Saving voids " + join(parts) + " of " + phases;
		return head + (this.kept.isEmpty() ? "." : "; " + String.join(", ", this.kept) + " keep their state.");
	}

	private static String join(List<String> parts) {
		if (parts.size() == 1) {
			return parts.get(0);
		}
		return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
	}

	/**
	 * Counts what a save would void in the phases it changes; implemented by the modules
	 * that keep state per phase (the lifecycle's dry runs, the gates' results, the
	 * approvals). Called before the save, with the plan's current version.
	 */
	public interface Counter {

		/**
		 * Adds to {@code tally} what saving voids in {@code phases} of {@code current}.
		 */
		void count(PlanVersion current, List<String> phases, Tally tally);

	}

	/** Where counters add what they count. */
	public static final class Tally {

		private final Map<String, Integer> counts = new LinkedHashMap<>();

		private final Map<String, String> singulars = new LinkedHashMap<>();

		/** Adds a count of a kind of thing, named in its singular and plural form. */
		public void add(String singular, String plural, int count) {
			this.singulars.put(plural, singular);
			this.counts.merge(plural, count, Integer::sum);
		}

		/** Each kind counted, named in the form its count needs. */
		public Map<String, Integer> voided() {
			Map<String, Integer> named = new LinkedHashMap<>();
			this.counts.forEach((plural, count) -> named.put(count == 1 ? this.singulars.get(plural) : plural, count));
			return named;
		}

	}

}
