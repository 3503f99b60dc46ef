package dev.ferry.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The heap while something runs, measured two ways: the sum of the heap pools' peak usage
 * since {@link #start} (each pool's own peak, so an upper bound: the pools need not peak
 * together), and the heap used sampled every 50 ms on a background thread, with the heap
 * left after the last collection at each sample (close to the live data).
 */
final class HeapWatch implements AutoCloseable {

	private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter(pool -> pool.getType() == MemoryType.HEAP)
		.toList();

	private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

	private final Thread sampler;

	private final long gcCountBefore;

	private final long gcMillisBefore;

	private volatile boolean running = true;

	private volatile long sampledMaxUsed;

	private volatile long maxAfterGc;

	private final long startNanos = System.nanoTime();

	/** Each sample's time since the start (ms), heap used, and heap after the last GC. */
	private final Queue<long[]> samples = new ConcurrentLinkedQueue<>();

	private HeapWatch() {
		this.pools.forEach(MemoryPoolMXBean::resetPeakUsage);
		this.gcCountBefore = this.collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
		this.gcMillisBefore = this.collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
		this.sampler = new Thread(this::sample, "bench-heap-sampler");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	static HeapWatch start() {
		return new HeapWatch();
	}

	private void sample() {
		while (this.running) {
			long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			long afterGc = afterLastGc();
			this.sampledMaxUsed = Math.max(this.sampledMaxUsed, used);
			this.maxAfterGc = Math.max(this.maxAfterGc, afterGc);
			this.samples.add(new long[] { (System.nanoTime() - this.startNanos) / 1_000_000, used, afterGc });
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	/** The heap used right after the most recent collection of any collector. */
	private long afterLastGc() {
		long latestEnd = -1;
		long after = 0;
		for (GarbageCollectorMXBean collector : this.collectors) {
			if (collector instanceof com.sun.management.GarbageCollectorMXBean gc && gc.getLastGcInfo() != null
					&& gc.getLastGcInfo().getEndTime() > latestEnd) {
				latestEnd = gc.getLastGcInfo().getEndTime();
				after = 0;
				for (Map.Entry<String, MemoryUsage> pool : gc.getLastGcInfo().getMemoryUsageAfterGc().entrySet()) {
					if (this.pools.stream().anyMatch(p -> p.getName().equals(pool.getKey()))) {
						after += pool.getValue().getUsed();
					}
				}
			}
		}
		return after;
	}

	/** Stops sampling and returns the figures, in bytes and milliseconds. */
	Map<String, Object> figures() {
		close();
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("peakHeapUsedBytes", this.pools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum());
		figures.put("peakHeapMethod", "sum of MemoryPoolMXBean.getPeakUsage().getUsed() over the heap pools "
				+ "after resetPeakUsage() at the start (an upper bound)");
		figures.put("sampledMaxHeapUsedBytes", this.sampledMaxUsed);
		figures.put("sampledMaxHeapAfterGcBytes", this.maxAfterGc);
		figures.put("sampling", "MemoryMXBean heap used and the last GC's heap-after-GC, every 50 ms");
		figures.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
		figures.put("byTenthOfTheRun", tenths());
		figures.put("gcCount", this.collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum()
				- this.gcCountBefore);
		figures.put("gcMillis", this.collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum()
				- this.gcMillisBefore);
		return figures;
	}

	/**
	 * The run cut in ten equal stretches of time: in each, the highest heap used sampled
	 * and the highest heap after a collection (MB); a flat heap shows the same figures
	 * from the first tenth to the last.
	 */
	private List<Map<String, Object>> tenths() {
		List<long[]> all = List.copyOf(this.samples);
		List<Map<String, Object>> tenths = new ArrayList<>();
		if (all.isEmpty()) {
			return tenths;
		}
		long end = all.get(all.size() - 1)[0] + 1;
		for (int tenth = 0; tenth < 10; tenth++) {
			long from = end * tenth / 10;
			long to = end * (tenth + 1) / 10;
			long used = 0;
			long afterGc = 0;
			for (long[] sample : all) {
				if (sample[0] >= from && sample[0] < to) {
					used = Math.max(used, sample[1]);
					afterGc = Math.max(afterGc, sample[2]);
				}
			}
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("fromSeconds", from / 1000.0);
			figures.put("usedMb", used >> 20);
			figures.put("afterGcMb", afterGc >> 20);
			tenths.add(figures);
		}
		return tenths;
	}

	@Override
	public void close() {
		this.running = false;
		this.sampler.interrupt();
		try {
			this.sampler.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
