package dev.ferry.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CPU time of a dry run's threads, sampled every 50 ms (a thread's last 50 ms before
 * it ends can be missed): the run's own thread (db-scheduler's), the source's and the
 * target's read-ahead threads, the thread applying the source's rules, and the whole JVM.
 */
final class CpuWatch implements AutoCloseable {

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final Map<Long, String> roles = new ConcurrentHashMap<>();

	private final Map<Long, Long> cpu = new ConcurrentHashMap<>();

	private final Map<Long, Long> cpuAtStart = new ConcurrentHashMap<>();

	private final long processCpuAtStart;

	private final long startNanos = System.nanoTime();

	private final Thread sampler;

	private volatile boolean running = true;

	private CpuWatch() {
		this.processCpuAtStart = processCpu();
		sampleThreads(true);
		this.sampler = new Thread(this::sample, "bench-cpu-sampler");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	static CpuWatch start() {
		return new CpuWatch();
	}

	private void sample() {
		while (this.running) {
			sampleThreads(false);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void sampleThreads(boolean first) {
		for (ThreadInfo info : this.threads.getThreadInfo(this.threads.getAllThreadIds())) {
			if (info == null) {
				continue;
			}
			String role = role(info.getThreadName());
			if (role == null) {
				continue;
			}
			long time = this.threads.getThreadCpuTime(info.getThreadId());
			if (time < 0) {
				continue;
			}
			this.roles.put(info.getThreadId(), role);
			this.cpu.put(info.getThreadId(), time);
			if (first) {
				this.cpuAtStart.put(info.getThreadId(), time);
			}
		}
	}

	private static String role(String name) {
		if (name.startsWith("ferry-dry-run-") && name.endsWith("-source")) {
			return "sourceThreadCpuSeconds";
		}
		if (name.startsWith("ferry-dry-run-") && name.endsWith("-rules")) {
			return "rulesThreadCpuSeconds";
		}
		if (name.startsWith("ferry-dry-run-") && name.endsWith("-target")) {
			return "targetThreadCpuSeconds";
		}
		if (name.startsWith("db-scheduler-pool")) {
			return "runThreadCpuSeconds";
		}
		return null;
	}

	private static long processCpu() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	Map<String, Object> figures() {
		close();
		sampleThreads(false);
		Map<String, Object> figures = new LinkedHashMap<>();
		for (String role : new String[] { "runThreadCpuSeconds", "sourceThreadCpuSeconds", "rulesThreadCpuSeconds",
				"targetThreadCpuSeconds" }) {
			long nanos = 0;
			for (Map.Entry<Long, String> thread : this.roles.entrySet()) {
				if (thread.getValue().equals(role)) {
					nanos += this.cpu.get(thread.getKey()) - this.cpuAtStart.getOrDefault(thread.getKey(), 0L);
				}
			}
			figures.put(role, BenchResults.round(nanos / 1e9, 3));
		}
		long process = processCpu();
		figures.put("jvmCpuSeconds",
				(process < 0) ? null : BenchResults.round((process - this.processCpuAtStart) / 1e9, 3));
		figures.put("wallSeconds", BenchResults.round((System.nanoTime() - this.startNanos) / 1e9, 3));
		figures.put("method", "ThreadMXBean CPU time of the threads by name, sampled every 50 ms; the JVM's "
				+ "process CPU time (GC, JIT and the other threads too); PostgreSQL's own CPU is not included");
		return figures;
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
