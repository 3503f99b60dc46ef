package dev.ferry.changeset.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.ferry.changeset.ChangeProfile;

/**
 * Builds a {@link ChangeProfile} from the rows of a change set as the seal streams them,
 * in memory bounded per column: at most {@value #FULL} counters of the most common
 * values (when full, all but the {@value #TRACKED} most counted give way: a value that is truly
 * frequent is kept, and its count is a lower bound once values were dropped), and at most
 * {@link ChangeProfile#DISTINCT_LIMIT} 64-bit hashes for the distinct count.
 */
final class ProfileBuilder {

	static final int TRACKED = 200;

	/**
	 * Counters a column holds before the less counted give way to {@value #TRACKED}: room
	 * for many new values between two evictions, which cost a sort of the counts each.
	 */
	static final int FULL = 2048;

	static final int SHOWN = 5;

	/** Longer values are shown cut: the profile is a summary. */
	static final int VALUE_CHARS = 120;

	private final List<String> columns;

	private final long[] changedRows;

	private final List<TopK> changedPairs = new ArrayList<>();

	private long inserts;

	private final long[] nulls;

	private final List<LongSet> distinct = new ArrayList<>();

	private final boolean[] distinctMore;

	private final List<TopK> insertedValues = new ArrayList<>();

	ProfileBuilder(List<String> columns) {
		this.columns = List.copyOf(columns);
		this.changedRows = new long[columns.size()];
		this.nulls = new long[columns.size()];
		this.distinctMore = new boolean[columns.size()];
		for (int i = 0; i < columns.size(); i++) {
			this.changedPairs.add(new TopK());
			this.distinct.add(new LongSet(ChangeProfile.DISTINCT_LIMIT));
			this.insertedValues.add(new TopK());
		}
	}

	void update(List<String> before, List<String> after) {
		if (before == null || after == null) {
			return;
		}
		for (int i = 0; i < this.columns.size() && i < before.size() && i < after.size(); i++) {
			String was = before.get(i);
			String now = after.get(i);
			if (!Objects.equals(was, now)) {
				this.changedRows[i]++;
				this.changedPairs.get(i).add(new Pair(cut(was), cut(now)));
			}
		}
	}

	void insert(List<String> after) {
		if (after == null) {
			return;
		}
		this.inserts++;
		for (int i = 0; i < this.columns.size() && i < after.size(); i++) {
			String value = after.get(i);
			if (value == null) {
				this.nulls[i]++;
				continue;
			}
			LongSet seen = this.distinct.get(i);
			if (seen.size() < ChangeProfile.DISTINCT_LIMIT) {
				seen.add(hash(value));
			}
			else if (!this.distinctMore[i] && !seen.contains(hash(value))) {
				this.distinctMore[i] = true;
			}
			this.insertedValues.get(i).add(cut(value));
		}
	}

	ChangeProfile build() {
		List<ChangeProfile.Updated> updated = new ArrayList<>();
		for (int i = 0; i < this.columns.size(); i++) {
			if (this.changedRows[i] > 0) {
				List<ChangeProfile.Pair> top = this.changedPairs.get(i)
					.top()
					.stream()
					.map(e -> new ChangeProfile.Pair(((Pair) e.getKey()).before(), ((Pair) e.getKey()).after(),
							e.getValue()))
					.toList();
				updated.add(new ChangeProfile.Updated(this.columns.get(i), this.changedRows[i], top,
						!this.changedPairs.get(i).evicted));
			}
		}
		updated.sort(Comparator.comparingLong(ChangeProfile.Updated::rows).reversed());
		List<ChangeProfile.Inserted> inserted = new ArrayList<>();
		if (this.inserts > 0) {
			for (int i = 0; i < this.columns.size(); i++) {
				List<ChangeProfile.Value> top = this.insertedValues.get(i)
					.top()
					.stream()
					.map(e -> new ChangeProfile.Value((String) e.getKey(), e.getValue()))
					.toList();
				inserted.add(new ChangeProfile.Inserted(this.columns.get(i), this.inserts, this.nulls[i],
						this.distinct.get(i).size(), this.distinctMore[i], top, !this.insertedValues.get(i).evicted));
			}
		}
		return new ChangeProfile(List.copyOf(updated), List.copyOf(inserted));
	}

	private static String cut(String value) {
		return (value == null || value.length() <= VALUE_CHARS) ? value : value.substring(0, VALUE_CHARS - 1) + "…";
	}

	/** FNV-1a, 64 bits: few collisions among {@link ChangeProfile#DISTINCT_LIMIT} values. */
	static long hash(String value) {
		long hash = 0xcbf29ce484222325L;
		for (int i = 0; i < value.length(); i++) {
			hash ^= value.charAt(i);
			hash *= 0x100000001b3L;
		}
		return hash;
	}

	private record Pair(String before, String after) {
	}

	/** The space-saving summary of the most common values of one column. */
	static final class TopK {

		private final Map<Object, Long> counts = new HashMap<>();

		/** Whether values were dropped: the counts are lower bounds then. */
		private boolean evicted;

		void add(Object value) {
			Object key = (value == null) ? NULL : value;
			Long count = this.counts.get(key);
			if (count != null) {
				this.counts.put(key, count + 1);
				return;
			}
			if (this.counts.size() >= FULL) {
				// full: the less counted half gives way, at once (a sort of the counts per
				// TRACKED new values, not a search per value); a value counted often stays
				long[] values = new long[this.counts.size()];
				int n = 0;
				for (Long counted : this.counts.values()) {
					values[n++] = counted;
				}
				Arrays.sort(values);
				long threshold = values[values.length - TRACKED];
				int atThreshold = 0;
				for (int k = values.length - TRACKED; k < values.length && values[k] == threshold; k++) {
					atThreshold++;
				}
				// keep what is counted more than the TRACKED-th, and as many of its ties as fit
				int[] ties = { atThreshold };
				this.counts.values().removeIf(counted -> counted < threshold || (counted == threshold && ties[0]-- <= 0));
				this.evicted = true;
			}
			this.counts.put(key, 1L);
		}

		List<Map.Entry<Object, Long>> top() {
			return this.counts.entrySet()
				.stream()
				.filter(e -> e.getKey() != NULL)
				.sorted(Map.Entry.<Object, Long>comparingByValue().reversed())
				.limit(SHOWN)
				.map(e -> Map.entry(e.getKey(), e.getValue()))
				.toList();
		}

		private static final Object NULL = new Object();

	}

	/** A set of 64-bit hashes, open addressing, for at most the capacity it was made for. */
	static final class LongSet {

		private final long[] slots;

		private boolean hasZero;

		private int size;

		LongSet(int capacity) {
			this.slots = new long[Integer.highestOneBit(Math.max(capacity, 2) * 2 - 1) * 2];
		}

		int size() {
			return this.size;
		}

		void add(long value) {
			if (value == 0) {
				if (!this.hasZero) {
					this.hasZero = true;
					this.size++;
				}
				return;
			}
			int slot = slot(value);
			if (this.slots[slot] == 0) {
				this.slots[slot] = value;
				this.size++;
			}
		}

		boolean contains(long value) {
			return (value == 0) ? this.hasZero : this.slots[slot(value)] == value;
		}

		/** The slot that holds the value, or the empty one where it would go. */
		private int slot(long value) {
			int mask = this.slots.length - 1;
			int slot = (int) (mix(value) & mask);
			while (this.slots[slot] != 0 && this.slots[slot] != value) {
				slot = (slot + 1) & mask;
			}
			return slot;
		}

		private static long mix(long value) {
			long mixed = value * 0x9E3779B97F4A7C15L;
			return mixed ^ (mixed >>> 32);
		}

	}

}
